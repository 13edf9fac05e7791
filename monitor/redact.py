"""Secrets out of everything chipwatch prints or logs: URL credentials (user:pass@),
token-like query parameters (?token=, &api_key=, ...) and Authorization values. Applied to
every log line (libraries' own lines included, such as the HTTP client's request line at
debug level) and to the errors and URLs the commands show."""

from __future__ import annotations

import logging
import re

MASK = "***"
SECRET_PARAMS = ("token", "access_token", "refresh_token", "id_token", "api_key", "apikey", "key",
                 "secret", "client_secret", "password", "passwd", "pass", "pwd", "auth", "sig",
                 "signature", "session", "sessionid", "sid", "code", "jwt", "bearer")
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/\s@'\"<>]+@")
_PARAM = re.compile(r"(?i)([?&;#](?:%s)=)[^&#\s'\"<>]*" % "|".join(map(re.escape, SECRET_PARAMS)))
_AUTH = re.compile(r"(?i)\b(authorization[\"']?\s*[:=]\s*[\"']?(?:bearer|basic|token)?\s*)[^\s\"',}]+")


def redact(text: str) -> str:
    """The text with credentials and tokens masked; everything else unchanged."""
    if not text or ("@" not in text and "=" not in text and ":" not in text):
        return text
    text = _USERINFO.sub(lambda m: m.group(1) + MASK + "@", text)
    text = _PARAM.sub(lambda m: m.group(1) + MASK, text)
    return _AUTH.sub(lambda m: m.group(1) + MASK, text)


class RedactingFormatter(logging.Formatter):
    """Wraps a formatter: the finished line (message, arguments, traceback) is redacted."""

    def __init__(self, inner: logging.Formatter) -> None:
        super().__init__()
        self.inner = inner

    def format(self, record: logging.LogRecord) -> str:
        return redact(self.inner.format(record))
