"""manage.py import_questions PATH... — load a bank file or folder (YAML or JSON)."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Value
from django.db.models.functions import Concat
from django.utils import timezone

from questions.bank import BankInvalid, bank_read
from questions.models import Category, Question, Tag
from questions.services import bank_import


class Command(BaseCommand):
    help = (
        "Import questions from bank files or folders (the format export_questions writes). "
        "Questions are matched by their stable key, so re-importing updates them. "
        "Any bad item aborts the import with every error listed and nothing written."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Bank files (.yaml/.yml/.json) or folders of them.")
        parser.add_argument("--dry-run", action="store_true", help="Validate and report; write nothing.")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when the bank already holds questions.")

    def handle(self, *args, paths, dry_run, if_empty, **options):
        if if_empty and Question.objects.exists():
            self.stdout.write("The bank already holds questions; nothing imported.")
            return
        try:
            bank = bank_read(
                paths,
                existing_categories=set(Category.objects.values_list("slug", flat=True)),
                existing_tags=set(Tag.objects.values_list("slug", flat=True)),
                # Questions moved to another category since they were created keep their key.
                moved_keys=set(
                    Question.objects.exclude(key__startswith=Concat("category__slug", Value("/"))).values_list(
                        "key", flat=True
                    )
                ),
            )
        except BankInvalid as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(exc.errors)} error(s); nothing was imported.") from exc
        report = bank_import(bank=bank, now=timezone.now(), dry_run=dry_run)
        prefix = "Dry run, nothing written: would have " if dry_run else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{report.created} created, {report.updated} updated, "
                f"{report.unchanged} unchanged ({len(bank.questions)} questions)."
            )
        )
