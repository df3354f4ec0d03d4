"""Typed readers for settings taken from the environment.

Each helper fails loudly, naming the variable, when a value cannot be understood: a typo in a
deploy should stop the process at start-up rather than run with a silently different choice.
"""

import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """A string from `name`, or from the file named by `name_FILE` (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ImproperlyConfigured(
                f"{name}_FILE: cannot read {file_name!r}: {error}"
            ) from error
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}: expected true or false, got {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}: expected a whole number, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}: must be at least {minimum}, got {value}")
    return value


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}: expected a number, got {raw!r}") from None
    if value < 0:
        raise ImproperlyConfigured(f"{name}: must not be negative, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_seconds(name: str, default: list[float]) -> list[float]:
    """A comma-separated list of durations in seconds, e.g. `60,300,900`; at least one."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        values = [float(item) for item in raw.split(",") if item.strip()]
    except ValueError:
        raise ImproperlyConfigured(
            f"{name}: expected seconds separated by commas (e.g. 60,300,900), got {raw!r}"
        ) from None
    if not values or any(value < 0 for value in values):
        raise ImproperlyConfigured(f"{name}: expected one or more durations of 0 or more seconds")
    return values


def env_choice(name: str, default: str, choices: list[str], *, upper: bool = False) -> str:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    value = raw.upper() if upper else raw.lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name}: expected one of {', '.join(choices)}, got {raw!r}")
    return value


# Used only with DEBUG on; refused like any other known key with DEBUG off.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105
# Keys that were published (the placeholder in .env.example, the development key above).
KNOWN_SECRET_KEYS = frozenset(
    {
        DEVELOPMENT_SECRET_KEY,
        "change-me-to-a-long-random-string",
        "tests-only-not-a-secret",
    }
)


def secret_key_weakness(key: str) -> str:
    """Why `key` must not sign production sessions, or "" when it may (as Django's own
    check security.W009 judges a key, plus the keys this project has published)."""
    if key in KNOWN_SECRET_KEYS:
        return "a published placeholder"
    if key.startswith("django-insecure"):
        return "a development key (it starts with django-insecure)"
    if len(key) < 50:
        return f"too short ({len(key)} characters; at least 50 are needed)"
    if len(set(key)) < 5:
        return f"too simple ({len(set(key))} distinct characters; at least 5 are needed)"
    return ""


_DOMAIN = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")


def env_domains(name: str, default: list[str]) -> list[str]:
    """Domain names, comma-separated, in lower case (`example.org, School.example`)."""
    domains = [domain.lower().rstrip(".") for domain in env_list(name, default)]
    for domain in domains:
        if not _DOMAIN.fullmatch(domain):
            raise ImproperlyConfigured(f"{name}: {domain!r} is not a domain name like example.org")
    return domains
