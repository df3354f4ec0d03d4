""".env.example lists every setting read from the environment, and only those; it works as an
environment file for systemd and for a shell (deploy/manage) alike."""

import ast
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
ENV_EXAMPLE = ROOT / ".env.example"
# Read from the environment but not a deploy choice: Django's own pointer to the settings.
NOT_SETTINGS = {"DJANGO_SETTINGS_MODULE"}
_LINE = re.compile(r"^(?:# ?)?([A-Z][A-Z0-9_]*)=", re.M)


def names_read_from_the_environment() -> set[str]:
    """Every variable name the app's code reads: env_*("NAME"), os.environ.get/[...], getenv."""
    names = set()
    files = [
        *ROOT.glob("config/*.py"),
        *ROOT.glob("campaign/**/*.py"),
        *ROOT.glob("letters/**/*.py"),
    ]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                function = node.func
                name = getattr(function, "id", None) or getattr(function, "attr", "")
                reads_environ = name in ("get", "setdefault", "pop") and "environ" in ast.unparse(
                    function
                )
                if (name.startswith("env_") or name == "getenv" or reads_environ) and node.args:
                    first = node.args[0]
                    if isinstance(first, ast.Constant) and isinstance(first.value, str):
                        names.add(first.value)
            elif (
                isinstance(node, ast.Subscript)
                and "environ" in ast.unparse(node.value)
                and isinstance(node.slice, ast.Constant)
            ):
                names.add(node.slice.value)
    return names - NOT_SETTINGS


def names_in_env_example() -> set[str]:
    return set(_LINE.findall(ENV_EXAMPLE.read_text(encoding="utf-8")))


def test_the_scan_finds_the_settings_we_know():
    found = names_read_from_the_environment()
    assert {"SECRET_KEY", "DATABASE_URL", "CACHE_URL", "LOG_FORMAT", "SENTRY_DSN"} <= found


def test_every_setting_read_from_the_environment_is_in_env_example():
    missing = names_read_from_the_environment() - names_in_env_example()
    assert not missing, f"add to .env.example (with its meaning and default): {sorted(missing)}"


def test_env_example_lists_nothing_the_app_no_longer_reads():
    read = names_read_from_the_environment()
    # NAME_FILE is read for every NAME that env_str reads (secrets kept in files).
    unread = {
        name
        for name in names_in_env_example() - read
        if not (name.endswith("_FILE") and name.removesuffix("_FILE") in read)
    }
    assert not unread, f"remove from .env.example, or read it again: {sorted(unread)}"


def test_the_readme_table_lists_every_setting():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    missing = {n for n in names_read_from_the_environment() if f"`{n}`" not in section}
    assert not missing, f"add to the README's Configuration table: {sorted(missing)}"


def run_manage(env_file: Path, *args: str) -> subprocess.CompletedProcess:
    """deploy/manage, as an operator runs it, with this checkout as the app folder."""
    unset = {*names_read_from_the_environment(), "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    app_dir = ROOT
    if Path(sys.executable).parent.parent != ROOT / ".venv":
        # This interpreter's venv is elsewhere: give deploy/manage a folder that looks like the
        # app folder (code plus .venv).
        app_dir = env_file.parent / "app"
        app_dir.mkdir(exist_ok=True)
        for item in ROOT.iterdir():
            if item.name != ".venv" and not (app_dir / item.name).exists():
                (app_dir / item.name).symlink_to(item)
        if not (app_dir / ".venv").exists():
            (app_dir / ".venv").symlink_to(Path(sys.executable).parent.parent)
    return subprocess.run(
        ["bash", str(ROOT / "deploy" / "manage"), *args],
        env={
            **clean,
            "APP_DIR": str(app_dir),
            "ENV_FILE": str(env_file),
            "APP_USER": subprocess.run(
                ["id", "-un"], capture_output=True, text=True
            ).stdout.strip(),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def filled_in(tmp_path: Path, **changes: str) -> Path:
    """.env.example as an operator fills it in: the same lines, some values changed."""
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    for name, value in changes.items():
        text, count = re.subn(rf"^{name}=.*$", f"{name}={value}", text, flags=re.M)
        if not count:
            text += f"\n{name}={value}\n"
    path = tmp_path / "env"
    path.write_text(text, encoding="utf-8")
    return path


def test_env_example_as_it_stands_is_refused_for_its_placeholder_key(tmp_path):
    result = run_manage(filled_in(tmp_path, VAR_DIR=str(tmp_path)), "check")
    assert result.returncode != 0
    assert "SECRET_KEY is a published placeholder" in result.stderr


def test_env_example_with_a_real_key_passes_the_deploy_check_read_by_the_shell(tmp_path):
    """Filled in, the file passes `check --deploy`; and the shell of deploy/manage reads quoted
    values as systemd does (DEFAULT_FROM_EMAIL="Campaign Letters <…>", quotes stripped)."""
    env_file = filled_in(
        tmp_path,
        SECRET_KEY=secrets.token_urlsafe(50),
        VAR_DIR=str(tmp_path / "var"),
        MEDIA_ROOT=str(tmp_path / "var" / "media"),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    result = run_manage(
        env_file,
        "shell",
        "-c",
        "from django.core.management import call_command; from django.conf import settings as s;"
        "call_command('check', deploy=True, fail_level='WARNING');"
        "print(s.DEFAULT_FROM_EMAIL); print(s.CACHES['default']['BACKEND'])",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert "Campaign Letters <letters@example.org>" in result.stdout
    assert "RedisCache" in result.stdout
