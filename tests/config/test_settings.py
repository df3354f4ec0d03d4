"""Settings read from the environment: clear refusals, working defaults."""

import os
import subprocess
import sys

from django.conf import settings

ROOT = settings.BASE_DIR


def start(env: dict) -> subprocess.CompletedProcess:
    """Load the settings in a fresh process, as `manage.py` would."""
    clean = {
        k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "SECRET_KEY_FILE")
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_debug_off_without_secret_key_refuses_to_start():
    result = start({"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_on_without_secret_key_starts():
    result = start({"DEBUG": "true"})
    assert result.returncode == 0, result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("a-secret-from-a-file-" + "x" * 40)
    env = {"DEBUG": "false", "SECRET_KEY_FILE": str(key_file), "SITE_URL": "https://x.example"}
    assert start(env).returncode == 0


def test_production_needs_a_site_url(tmp_path):
    env = {"DEBUG": "false", "SECRET_KEY": "x" * 50}
    result = start({**env, "SITE_URL": ""})
    assert result.returncode != 0
    assert "SITE_URL is not set" in result.stderr
    assert start({**env, "SITE_URL": "https://letters.example.org"}).returncode == 0


def test_a_sending_timeout_shorter_than_a_task_is_refused():
    result = start({"DEBUG": "true", "DELIVERY_SENDING_TIMEOUT_SECONDS": "100"})
    assert result.returncode != 0
    assert "DELIVERY_SENDING_TIMEOUT_SECONDS must be at least" in result.stderr


def test_a_bad_boolean_names_the_variable():
    result = start({"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG: expected true or false, got 'maybe'" in result.stderr


def test_a_bad_number_names_the_variable():
    result = start({"DEBUG": "true", "DATABASE_CONN_MAX_AGE": "soon"})
    assert result.returncode != 0
    assert "DATABASE_CONN_MAX_AGE: expected a whole number" in result.stderr


def test_embedded_defaults_need_no_server():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup();"
            "from django.conf import settings as s;"
            "print(s.DATABASES['default']['ENGINE']); print(s.CELERY_BROKER_URL); print(s.EMAIL_BACKEND)",
        ],
        cwd=ROOT,
        env={
            k: v
            for k, v in {**os.environ, "DEBUG": "true"}.items()
            if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_HOST")
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "filesystem://",
        "django.core.mail.backends.filebased.EmailBackend",
    ]


def test_sender_domains_are_read_and_checked():
    ok = start({"DEBUG": "true", "SENDER_EMAIL_DOMAINS": "School.example, letters.example.org"})
    assert ok.returncode == 0, ok.stderr
    bad = start({"DEBUG": "true", "SENDER_EMAIL_DOMAINS": "school example"})
    assert bad.returncode != 0
    assert "SENDER_EMAIL_DOMAINS: 'school example' is not a domain name" in bad.stderr


def test_sender_domains_default_to_the_domain_of_the_default_from_address():
    clean = {k: v for k, v in os.environ.items() if k not in ("SENDER_EMAIL_DOMAINS", "DEBUG")}
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings as s; print(s.SENDER_EMAIL_DOMAINS)",
        ],
        cwd=ROOT,
        env={**clean, "DEBUG": "true", "DEFAULT_FROM_EMAIL": "Letters <letters@School.example>"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip().splitlines()[-1] == "['school.example']", result.stderr
