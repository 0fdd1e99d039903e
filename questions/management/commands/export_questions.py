"""manage.py export_questions [-o FILE] — write the whole bank in the import format."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from questions.bank import bank_dump
from questions.selectors import bank_export


class Command(BaseCommand):
    help = "Export every category, tag and question as YAML (default) or JSON, importable again."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="File to write; stdout when omitted.")
        parser.add_argument(
            "--format", choices=["yaml", "json"], help="Defaults to the output file's suffix, else yaml."
        )

    def handle(self, *args, output, format, **options):
        fmt = format or ("json" if output and output.endswith(".json") else "yaml")
        text = bank_dump(bank_export(), fmt=fmt)
        if not output:
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc}") from exc
        self.stderr.write(f"Wrote {output}.")
