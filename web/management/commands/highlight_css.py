from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from web.highlight_css import PATH, highlight_css


class Command(BaseCommand):
    help = f"Write {PATH}, the colours of highlighted code, from Pygments' styles."

    def handle(self, *args, **options):
        path = Path(settings.BASE_DIR) / PATH
        path.write_text(highlight_css())
        self.stdout.write(f"wrote {path}")
