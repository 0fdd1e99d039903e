"""manage.py make_hiring_manager USERNAME — give an existing user the hiring manager role."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.services import user_make_hiring_manager


class Command(BaseCommand):
    help = "Add a user to the hiring_managers group and let them into the admin."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"No user named {username!r}.") from exc
        user_make_hiring_manager(user=user)
        self.stdout.write(self.style.SUCCESS(f"{username} is now a hiring manager."))
