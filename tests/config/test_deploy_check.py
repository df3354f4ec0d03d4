"""`manage.py check --deploy` refuses a per-process cache in production (rate limits would not
hold), and passes with the README's production settings."""

import os
import secrets
import subprocess
import sys

from django.conf import settings

from config.checks import rate_limits_need_a_shared_cache


def deploy_check(**env: str) -> subprocess.CompletedProcess:
    unset = {"SECURE_SSL_REDIRECT", "SECURE_COOKIES", "DJANGO_ALLOW_ASYNC_UNSAFE", "CACHE_URL"}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env={
            **{k: v for k, v in os.environ.items() if k not in unset},
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "SITE_URL": "https://letters.example.org",
            "ALLOWED_HOSTS": "letters.example.org",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deploy_check_fails_without_a_shared_cache():
    result = deploy_check()
    assert result.returncode != 0
    assert "(config.E001)" in result.stderr
    assert "rate limits do not hold" in result.stderr
    assert "CACHE_URL" in result.stderr


def test_the_deploy_check_passes_with_redis_as_the_cache():
    result = deploy_check(CACHE_URL="redis://127.0.0.1:6379/1")  # the check does not connect
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_check_lets_development_use_memory(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.DEBUG = True
    assert rate_limits_need_a_shared_cache(None) == []
    settings.DEBUG = False
    assert [error.id for error in rate_limits_need_a_shared_cache(None)] == ["config.E001"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    assert rate_limits_need_a_shared_cache(None) == []
