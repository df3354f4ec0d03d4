"""Logs: one format (ISO-8601 UTC), optional JSON, routes not paths, and nothing about students."""

import io
import json
import logging
import re
from contextlib import contextmanager

import pytest

from config.logs import JsonFormatter, PlainFormatter, RedactFilter, process_role, redact
from letters.models import Letter
from tests.letters.helpers import compose_data

TOKEN = "AbCdEfGhIjKlMnOpQrStUvWxYz012345"


@contextmanager
def captured_logs(formatter: logging.Formatter | None = None):
    """Every log line of the block, written as the console handler of config.logs writes it."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(formatter or PlainFormatter())
    handler.addFilter(RedactFilter())
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield buffer
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


def record(message, *args, name="letters.delivery", level=logging.WARNING, exc_info=None):
    return logging.LogRecord(name, level, __file__, 1, message, args, exc_info)


def test_plain_lines_have_an_iso_utc_time_the_level_the_process_and_the_logger():
    line = PlainFormatter().format(record("hello %s", "world"))
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z WARNING \w+ letters\.delivery hello world", line
    ), line


def test_json_lines_carry_the_same_fields():
    entry = json.loads(JsonFormatter().format(record("hello %s", "world")))
    assert entry["message"] == "hello world"
    assert entry["level"] == "WARNING" and entry["logger"] == "letters.delivery"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", entry["time"])


def test_the_json_format_is_chosen_by_setting():
    from config.logs import logging_config

    config = logging_config(level="INFO", log_format="json")
    assert config["handlers"]["console"]["formatter"] == "json"
    assert config["formatters"]["json"]["()"] == "config.logs.JsonFormatter"


@pytest.mark.parametrize(
    ("argv", "role"),
    [
        (["/srv/campaign-letters/.venv/bin/gunicorn", "config.wsgi"], "web"),
        ([".venv/bin/celery", "-A", "config", "worker", "--loglevel", "INFO"], "worker"),
        (["/usr/bin/celery", "-A", "config", "beat"], "beat"),
        (["manage.py", "runserver"], "web"),
        (["manage.py", "migrate"], "manage"),
    ],
)
def test_each_process_names_itself(argv, role):
    assert process_role(argv) == role


@pytest.mark.parametrize(
    "text",
    [
        f"Not Found: /letters/{TOKEN}/",
        f"Method Not Allowed (HEAD): /letters/{TOKEN}/submit/",
        f"GET /coordinate/invitation/{TOKEN}/ HTTP/1.1",
        f"https://letters.example.org/letters/{TOKEN}/pdf/",
        f"/some/page/?token={TOKEN}&x=1",
    ],
)
def test_tokens_are_redacted_wherever_a_path_holds_one(text):
    assert TOKEN not in redact(text)
    assert "<token>" in redact(text)


def test_a_redacted_record_keeps_its_level_and_logger():
    entry = record("Not Found: %s", f"/letters/{TOKEN}/", name="django.request")
    RedactFilter().filter(entry)
    assert entry.getMessage() == "Not Found: /letters/<token>/"


def test_exceptions_in_lines_are_redacted_too():
    try:
        raise ValueError(f"/letters/{TOKEN}/")
    except ValueError:
        import sys

        line = PlainFormatter().format(record("failed", exc_info=sys.exc_info()))
    assert "Traceback" in line and TOKEN not in line


def test_sql_is_not_logged_even_at_debug(settings):
    """Query parameters hold students' names: the database logger stays quiet."""
    assert settings.LOGGING["loggers"]["django.db.backends"]["level"] == "INFO"


@pytest.mark.django_db
def test_the_access_log_names_the_route_not_the_path(client, campaign):
    letter_path = f"/letters/{TOKEN}/"
    with captured_logs() as logs:
        client.get(f"/campaigns/{campaign.slug}/")
        client.get(letter_path)
    text = logs.getvalue()
    assert "campaign_letters.access GET /campaigns/<slug:slug>/ 200" in text
    assert "campaign_letters.access GET /letters/<token:token>/ 404" in text
    assert TOKEN not in text


@pytest.mark.django_db
def test_head_requests_get_headers_and_no_body(client, campaign):
    with captured_logs() as logs:
        response = client.head(f"/campaigns/{campaign.slug}/")
    assert response.status_code == 200
    assert response.content == b""
    assert "WARNING" not in logs.getvalue()


@pytest.mark.django_db
def test_a_whole_student_and_coordinator_run_logs_no_token_and_no_student_field(
    client, campaign, recommendations, officials, coordinator, settings
):
    """A student writes, previews, edits, downloads and submits a letter, opens the private
    link (and a mistyped one); the coordinator reviews and approves it and starts a print
    batch. The log of all that, at DEBUG, holds no token and nothing the student typed."""
    settings.MEDIA_ROOT = settings.VAR_DIR / "test-media-logs"
    student = {
        "first_name": "Zebediah",
        "last_name": "Quuxley",
        "email": "zeb.quuxley@example.net",
        "school": "Thistlewood Academy",
        "grade": "7",
        "city": "Marrowfield",
        "state": "Vermont",
        "team_code": "",
        "personal_paragraph": "Xylophone orchards remember every unexploded shell.",
    }
    data = compose_data(student, recommendations[:2], officials)
    with captured_logs() as plain, captured_logs(JsonFormatter()) as as_json:
        client.get(f"/campaigns/{campaign.slug}/")
        client.get(f"/campaigns/{campaign.slug}/write/")
        client.post(f"/campaigns/{campaign.slug}/write/", data)
        letter = Letter.objects.get()
        token = letter.token
        client.get(f"/letters/{token}/")
        client.head(f"/letters/{token}/")
        client.post(f"/letters/{token}/edit/", {**data, "city": "Marrowfield"})
        client.get(f"/letters/{token}/pdf/")
        client.get(f"/letters/{token}/submit/")  # a GET where a POST is expected: 405
        client.post(f"/letters/{token}/submit/")
        client.get(f"/letters/{token}/")
        client.get(f"/letters/{token[::-1]}/")  # a mistyped link: 404
        client.force_login(coordinator)
        client.get(f"/coordinate/{campaign.slug}/letters/")
        client.get(f"/coordinate/{campaign.slug}/letters/{letter.pk}/")
        client.post(
            f"/coordinate/{campaign.slug}/letters/review/",
            {"action": "approve", "letters": [letter.pk]},
        )
        client.post(f"/coordinate/{campaign.slug}/batches/", {"method": "print"})
    letter.refresh_from_db()
    assert letter.status in (Letter.Status.APPROVED, Letter.Status.SENT)
    for logs in (plain.getvalue(), as_json.getvalue()):
        assert "campaign_letters.access" in logs  # the run was logged...
        assert "/letters/<token:token>/" in logs
        for secret in (token, token[::-1], *student.values()):
            if secret and len(secret) > 2:
                assert secret not in logs, secret  # ...without a token or a student's field
