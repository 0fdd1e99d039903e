"""manage.py create_demo_users — a demo hiring manager and candidate for local use."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.services import user_make_hiring_manager, user_register

DEMO_USERS = {
    "manager": ("manager@example.com", "manager-demo-pass", True),
    "candidate": ("candidate@example.com", "candidate-demo-pass", False),
}


class Command(BaseCommand):
    help = "Create (once) the demo users 'manager' and 'candidate' and print how to log in. DEBUG only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo users have known passwords; create them only with DEBUG=true.")
        User = get_user_model()
        for username, (email, password, manager) in DEMO_USERS.items():
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_register(username=username, email=email, password=password)
            if manager:
                user_make_hiring_manager(user=user)
            self.stdout.write(
                f"  {'hiring manager' if manager else 'candidate':<14} {username} / {password}"
                f"   token: {user.auth_token.key}"
            )
