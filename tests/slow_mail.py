"""An email backend for the reliability tests: writes files like Django's file
backend, after a pause, so a test can kill a worker in the middle of a batch.

SLOW_MAIL_AFTER_SECONDS adds a pause after the file is written, like a mail
server that has the message but has not answered yet: a kill then lands in
the window between the hand-over and recording it."""

import os
import time

from django.core.mail.backends.filebased import EmailBackend


class SlowFileBackend(EmailBackend):
    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("SLOW_MAIL_SECONDS", "0.5")))
        sent = super().send_messages(email_messages)
        time.sleep(float(os.environ.get("SLOW_MAIL_AFTER_SECONDS", "0")))
        return sent
