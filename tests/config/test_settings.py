"""Settings read from the environment: clear refusals, working defaults."""

import os
import re
import secrets
import subprocess
import sys

import pytest
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
    env = {"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50)}
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


def env_example_value(name: str) -> str:
    text = (ROOT / ".env.example").read_text()
    return re.search(rf"^{name}=(.*)$", text, re.M).group(1)


def test_the_placeholder_key_of_env_example_stops_the_start_up():
    key = env_example_value("SECRET_KEY")
    result = start({"DEBUG": "false", "SECRET_KEY": key, "SITE_URL": "https://x.example"})
    assert result.returncode != 0
    assert "SECRET_KEY is a published placeholder" in result.stderr
    assert key not in result.stderr  # the message never repeats the key


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("django-insecure-development-only-key-do-not-use-in-production", "placeholder"),
        ("django-insecure-" + secrets.token_urlsafe(50), "a development key"),
        (secrets.token_urlsafe(30), "too short"),
        ("abcd" * 20, "too simple (4 distinct characters"),
        (secrets.token_urlsafe(50), ""),
    ],
    # Named, not by the keys: random ones would name the tests differently in each xdist worker.
    ids=["placeholder", "development-key", "too-short", "too-simple", "strong"],
)
def test_known_bad_secret_keys_are_named(key, reason):
    """What settings.py refuses at start-up with DEBUG off (the start-up itself is the test
    above and the next one)."""
    from config.env import secret_key_weakness

    weakness = secret_key_weakness(key)
    assert (reason in weakness) if reason else weakness == ""


def test_a_bad_key_from_a_file_is_refused_too(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("change-me-to-a-long-random-string\n")
    env = {"DEBUG": "false", "SECRET_KEY_FILE": str(key_file), "SITE_URL": "https://x.example"}
    result = start(env)
    assert result.returncode != 0 and "a published placeholder" in result.stderr


def test_a_random_key_starts_and_debug_accepts_any():
    good = {"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50), "SITE_URL": "https://x"}
    assert start(good).returncode == 0
    assert start({"DEBUG": "true", "SECRET_KEY": "short"}).returncode == 0


def test_a_bad_log_format_names_the_variable():
    result = start({"DEBUG": "true", "LOG_FORMAT": "xml"})
    assert result.returncode != 0
    assert "LOG_FORMAT: expected one of plain, json, got 'xml'" in result.stderr


def test_upload_limits_come_from_the_environment():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup();"
        "from django.conf import settings as s;"
        "print(s.DATA_UPLOAD_MAX_MEMORY_SIZE, s.FILE_UPLOAD_MAX_MEMORY_SIZE,"
        " s.DATA_UPLOAD_MAX_NUMBER_FIELDS, s.DATA_UPLOAD_MAX_NUMBER_FILES)"
    )
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATA_UPLOAD_MAX_MEMORY_SIZE": "2048",
        "FILE_UPLOAD_MAX_MEMORY_SIZE": "4096",
        "DATA_UPLOAD_MAX_NUMBER_FIELDS": "500",
        "DATA_UPLOAD_MAX_NUMBER_FILES": "3",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["2048", "4096", "500", "3"], result.stderr


def test_sensible_upload_limits_by_default(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == 10


@pytest.mark.django_db
def test_a_post_over_the_limit_is_refused(client, settings, campaign):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client.raise_request_exception = False
    response = client.post(
        f"/campaigns/{campaign.slug}/write/", {"personal_paragraph": "x" * 20_000}
    )
    assert response.status_code == 400


def test_files_the_app_writes_are_not_world_readable(settings, tmp_path):
    """Letter PDFs and print packs hold students' names (Django's default would be 0o644)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=tmp_path / "media")
    name = storage.save("letters/1/letter.pdf", ContentFile(b"%PDF-1.7"))
    assert (tmp_path / "media" / name).stat().st_mode & 0o777 == 0o640
    assert (tmp_path / "media" / "letters").stat().st_mode & 0o777 == 0o750


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


def test_the_language_cookie_is_set_like_the_session_cookie(client, db):
    """An external scan found django_language without Secure or SameSite."""
    assert settings.LANGUAGE_COOKIE_SECURE == settings.SESSION_COOKIE_SECURE
    assert settings.LANGUAGE_COOKIE_SAMESITE == "Lax" and settings.LANGUAGE_COOKIE_HTTPONLY
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie["samesite"] == "Lax" and cookie["httponly"]


def test_the_language_cookie_is_secure_in_production():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; "
            "print(settings.LANGUAGE_COOKIE_SECURE, settings.SESSION_COOKIE_SECURE)",
        ],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "SECURE_COOKIES"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["True", "True"], result.stderr


def test_the_filesystem_brokers_folders_are_under_var_dir(tmp_path):
    """kombu's `control/` folder used to land in the working directory (the checkout)."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; import json; "
            "print(json.dumps(settings.CELERY_BROKER_TRANSPORT_OPTIONS))",
        ],
        cwd=ROOT,
        env={**os.environ, "VAR_DIR": str(tmp_path), "CELERY_BROKER_URL": "filesystem://"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    import json

    options = json.loads(result.stdout)
    for name in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        assert options[name].startswith(str(tmp_path)), name


def test_make_run_gives_the_worker_a_site_url_on_its_own_port():
    import shutil

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    without_site_url = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8101", "HOST=127.0.0.1"],
        cwd=ROOT,
        env=without_site_url,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "SITE_URL=http://127.0.0.1:8101 bash scripts/serve.sh" in result.stdout
    wildcard = subprocess.run(
        ["make", "-n", "run", "PORT=8102", "HOST=0.0.0.0"],
        cwd=ROOT,
        env=without_site_url,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "SITE_URL=http://127.0.0.1:8102" in wildcard.stdout


def test_object_storage_is_a_matter_of_configuration():
    """STORAGE_BACKEND=s3: letter PDFs and print packs go to an S3-compatible bucket (no
    request is made until a file is read or written)."""
    env = {
        "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "STORAGE_BACKEND": "s3",
        "S3_BUCKET": "letters-files",
        "S3_ENDPOINT_URL": "http://127.0.0.1:9",
        "S3_ADDRESSING_STYLE": "path",
        "S3_PREFIX": "campaign-letters",
    }
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    code = (
        "import django; django.setup()\n"
        "from django.core.files.storage import default_storage as s\n"
        "s._setup()\n"
        "print(type(s._wrapped).__name__, s.bucket_name, s.location, s.endpoint_url, s.default_acl)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:5] == [
        "S3Storage",
        "letters-files",
        "campaign-letters",
        "http://127.0.0.1:9",
        "None",
    ]


def test_object_storage_without_a_bucket_refuses_to_start():
    result = start({"DEBUG": "true", "STORAGE_BACKEND": "s3"})
    assert result.returncode != 0
    assert "S3_BUCKET" in result.stderr


def test_an_unknown_storage_backend_refuses_to_start():
    result = start({"DEBUG": "true", "STORAGE_BACKEND": "ftp"})
    assert result.returncode != 0
    assert "STORAGE_BACKEND" in result.stderr
