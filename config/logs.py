"""One log format for the web server, the workers and beat.

Every line: an ISO-8601 UTC timestamp, the level, the process (web, worker or beat), the logger
and the message. `LOG_FORMAT=json` writes the same fields as one JSON object a line instead.

Private-link and invitation tokens never reach a line: the access log names the route
(`letters/<token:token>/`), not the path, and `RedactFilter` rewrites any path that still holds a
token (Django's "Not Found: /letters/…" warnings, for instance) before a handler writes it.
Students' fields are never logged in the first place (tasks carry ids; forms are
`sensitive_post_parameters`); a test scans the logs of a whole student and coordinator run.
"""

import json
import logging
import re
import sys
import time

# A path segment after /letters/ or /invitation/ that looks like a token (see
# config.converters.TokenConverter), or a token=… query parameter.
_TOKEN_PATH = re.compile(r"(/(?:letters|invitation)/)[A-Za-z0-9_-]{16,64}")
_TOKEN_QUERY = re.compile(r"(?i)((?:^|[?&;\s])token=)[^&\s]+")
REDACTED = "<token>"


def redact(text: str) -> str:
    """`text` with every private-link or invitation token replaced by `<token>`."""
    if "/" not in text and "token" not in text.lower():
        return text
    return _TOKEN_QUERY.sub(r"\1" + REDACTED, _TOKEN_PATH.sub(r"\1" + REDACTED, text))


def process_role(argv: list[str] | None = None) -> str:
    """Which of the app's processes this is, for the log lines: web, worker, beat or manage."""
    argv = sys.argv if argv is None else argv
    program = argv[0].rsplit("/", 1)[-1] if argv else ""
    if "celery" in program or (len(argv) > 1 and argv[1:2] == ["celery"]):
        for word in argv[1:]:
            if word in ("worker", "beat"):
                return word
        return "celery"
    if "gunicorn" in program or "pytest" in program:
        return "web"
    if program == "manage.py" and len(argv) > 1:
        return "web" if argv[1] == "runserver" else "manage"
    return "web"


ROLE = process_role()


def utc_timestamp(created: float) -> str:
    seconds = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(created))
    return f"{seconds}.{int(created % 1 * 1000):03d}Z"


class RedactFilter(logging.Filter):
    """Rewrites the message of every record so that no token is left in it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to the formatter to report
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class PlainFormatter(logging.Formatter):
    """`2026-11-30T16:20:00.123Z INFO worker letters.outbox message`"""

    def format(self, record: logging.LogRecord) -> str:
        line = (
            f"{utc_timestamp(record.created)} {record.levelname} {ROLE} {record.name} "
            f"{record.getMessage()}"
        )
        if record.exc_info:
            line += "\n" + redact(self.formatException(record.exc_info))
        elif record.stack_info:
            line += "\n" + redact(self.formatStack(record.stack_info))
        # A message or traceback of several lines: the lines after the first are indented, so
        # each entry starts with its time and a reader (or a collector) can tell them apart.
        return line.replace("\n", "\n    ")


class JsonFormatter(logging.Formatter):
    """The same fields as PlainFormatter, one JSON object a line (`LOG_FORMAT=json`)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": utc_timestamp(record.created),
            "level": record.levelname,
            "process": ROLE,
            "pid": record.process,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for extra in ("route", "method", "status", "duration_ms"):
            if hasattr(record, extra):
                entry[extra] = getattr(record, extra)
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def logging_config(*, level: str = "INFO", log_format: str = "plain") -> dict:
    """The LOGGING dictionary for Django, gunicorn (config/gunicorn.py) and Celery."""
    formatter = {"json": "json", "plain": "plain"}[log_format]
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact": {"()": "config.logs.RedactFilter"}},
        "formatters": {
            "plain": {"()": "config.logs.PlainFormatter"},
            "json": {"()": "config.logs.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": formatter,
                "filters": ["redact"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own handlers (a second, differently formatted copy of each line with
            # DEBUG on) are replaced: everything goes through the root handler.
            "django": {"handlers": [], "level": level, "propagate": True},
            "django.server": {"handlers": [], "level": level, "propagate": True},
            # Query parameters hold what students typed: SQL is never logged, even at DEBUG.
            "django.db.backends": {"handlers": [], "level": "INFO", "propagate": True},
            # gunicorn's access log would write each path (tokens included): the app writes
            # its own, with the route (config.middleware.AccessLogMiddleware).
            "gunicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
            "gunicorn.error": {"handlers": [], "level": level, "propagate": True},
            "celery": {"handlers": [], "level": level, "propagate": True},
            # WeasyPrint warns about every CSS property it ignores; keep real problems only.
            "weasyprint": {"level": "ERROR"},
            "fontTools": {"level": "WARNING"},
            "axes": {"level": "WARNING"},
        },
    }
