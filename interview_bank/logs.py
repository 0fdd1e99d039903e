"""Logging filters referenced by settings.LOGGING."""

import logging


class BelowStatus(logging.Filter):
    """Keep records whose `status_code` (set by Django's request and server loggers) is below `status`."""

    def __init__(self, status: int):
        super().__init__()
        self.status = status

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "status_code", 0) < self.status
