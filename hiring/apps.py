from django.apps import AppConfig


class HiringConfig(AppConfig):
    name = "hiring"
    verbose_name = "Question sets and invitations"

    def ready(self):
        # The bank and sessions sit below hiring and never import it: hiring
        # plugs in what they ask of it (interview_bank.hooks).
        from hiring import analysis, services
        from interviews import hooks as interview_hooks
        from questions import hooks as question_hooks

        question_hooks.question_stats.register(analysis.question_stats)
        interview_hooks.session_start_from_set.register(services.session_start_from_set_id)
