"""Error tracking when SENTRY_DSN is set: Django and Celery errors reach Sentry, students' fields
and private-link tokens do not."""

import json
import os
import subprocess
import sys

import pytest
import sentry_sdk
from django.conf import settings

from config import sentry
from letters.models import Letter

pytestmark = pytest.mark.django_db


class Captured(sentry_sdk.transport.Transport):
    """A transport that keeps envelopes instead of sending them."""

    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)

    def text(self) -> str:
        chunks = []
        for envelope in self.envelopes:
            for item in envelope.items:
                chunks.append(item.payload.get_bytes().decode("utf-8", "replace"))
        return "\n".join(chunks)


@pytest.fixture
def captured(monkeypatch):
    transport = Captured()
    real_init = sentry_sdk.init

    def init(**options):
        return real_init(transport=transport, **options)

    monkeypatch.setattr(sentry_sdk, "init", init)
    sentry.init("https://public@sentry.example.org/1", environment="test")
    yield transport
    sentry_sdk.get_client().close()
    real_init()  # a client with no DSN: nothing is sent by later tests


def test_a_view_error_is_reported_without_the_students_fields(
    client, campaign, student, recommendations, officials, captured
):
    from tests.letters.helpers import compose_data

    data = compose_data(
        student,
        recommendations[:1],
        officials,
        first_name="Zebediah",
        last_name="Quuxley",
        school="Thistlewood Academy",
        personal_paragraph="Xylophone orchards remember every shell.",
    )
    client.post(f"/campaigns/{campaign.slug}/write/", data)
    letter = Letter.objects.get()
    campaign.templates.update(body="{% broken %}")  # past validation, as a database edit could
    client.raise_request_exception = False
    assert client.post(f"/letters/{letter.token}/edit/?token={letter.token}", data)
    assert client.get(f"/letters/{letter.token}/").status_code == 500
    sentry_sdk.flush()
    sent = captured.text()
    assert '"level":"error"' in sent or '"level": "error"' in sent  # the error was reported...
    for secret in (letter.token, "Zebediah", "Quuxley", "Thistlewood", "Xylophone"):
        assert secret not in sent, secret  # ...without the student


def test_a_task_error_is_reported(captured, settings):
    from config.celery import app

    @app.task(name="tests.failing_task")
    def failing_task(letter_id):
        raise RuntimeError(f"task failed for letter {letter_id}")

    with pytest.raises(RuntimeError):
        failing_task.apply(args=(7,), throw=True)
    sentry_sdk.flush()
    assert "task failed for letter 7" in captured.text()


def test_scrub_removes_every_students_field_and_token():
    token = "AbCdEfGhIjKlMnOpQrStUvWxYz012345"
    event = {
        "request": {
            "url": f"https://letters.example.org/letters/{token}/",
            "data": {"first_name": "Zebediah"},
            "query_string": f"token={token}",
            "cookies": {"sessionid": "x"},
        },
        "user": {"ip_address": "203.0.113.9"},
        "extra": {"letter": {"first_name": "Zebediah", "city": "Marrowfield", "pk": 3}},
        "breadcrumbs": {"values": [{"message": f"Not Found: /letters/{token}/"}]},
    }
    text = json.dumps(sentry.scrub(event))
    for secret in (token, "Zebediah", "Marrowfield", "203.0.113.9", "sessionid"):
        assert secret not in text
    assert '"pk": 3' in text


def test_sentry_is_on_only_with_a_dsn():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup();"
        "import sentry_sdk; c = sentry_sdk.get_client(); print(c.is_active());"
        "c.is_active() and print(sorted(i for i in c.integrations if i in ('django', 'celery')),"
        " c.options['data_collection']['user_info'], c.options['include_local_variables'],"
        " c.options['data_collection']['http_bodies'])"
    )

    def run(**env):
        return subprocess.run(
            [sys.executable, "-c", code],
            cwd=settings.BASE_DIR,
            env={**{k: v for k, v in os.environ.items() if k != "SENTRY_DSN"}, **env},
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout.strip()

    assert run() == "False"
    on = run(SENTRY_DSN="https://public@sentry.example.org/1")
    assert on.split("\n") == ["True", "['celery', 'django'] False False []"]
