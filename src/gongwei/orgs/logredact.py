"""A logging filter that keeps personal data out of every log line.

Views and libraries log request paths, form errors and exceptions; any of them can carry an
ID number or a phone number typed by a user. The filter rewrites the formatted message
before a handler sees it, so no logger needs to remember.
"""

import logging
import re

# 18-digit ID numbers (last may be X), 15-digit legacy ones, and mainland mobile numbers.
_ID_NUMBER = re.compile(r"(?<![0-9])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9])|(?<![0-9])\d{15}(?![0-9])")
_MOBILE = re.compile(r"(?<![0-9])1[3-9]\d{9}(?![0-9])")


def redact(text: str) -> str:
    text = _ID_NUMBER.sub("[身份证号]", text)
    return _MOBILE.sub("[电话]", text)


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and record.exc_info[1] is not None:
            # Exception text (e.g. an IntegrityError quoting a row) is formatted later by the
            # handler; render and redact it now.
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True
