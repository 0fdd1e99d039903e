"""The Celery app, configured from Django settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interview_bank.settings")

app = Celery("interview_bank")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
