"""Logging filters. Django's `django.request` logger logs an expected 403 (a view raising
PermissionDenied) or 400 with the exception's traceback; for a client error that is noise
that hides the real failures. Real server errors (5xx) keep their traceback."""

from __future__ import annotations

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """Drops the traceback of records about a 4xx answer; keeps the record itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
