"""Where a request's time goes, for each page kind a student asks for.

    .venv/bin/python benchmarks/profile_pages.py [--requests 40] [--database-url URL] [--sql 200]
    .venv/bin/python benchmarks/profile_pages.py --redis    # the cache in a Redis, as deployed

Loads the seed campaigns into a fresh database (SQLite under var/profile/ unless --database-url,
which must name an empty database), then asks for each page kind --requests times through
Django's test client under cProfile, with production settings (DEBUG off, the cache in memory)
and prints, per request: the total, and the part spent in the database (every query, timed by a
connection wrapper), in template rendering (all of it, and crispy-forms' share), in the session
(load and save), in the view, and in the middleware around it. A page's CPU time is what queues
behind other requests when the machine is busy, so these are the costs the load benchmark pays.

With --redis the cache is a Redis of the script's own (a free port; stopped at the end, nothing
else touched), as in production, and a column counts the commands sent to it per request (a
pipeline counts once): each is a round trip, and redis-py's Python around it.
"""

import argparse
import cProfile
import os
import pstats
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = ROOT / "var" / "profile"

#: (label, where the function is defined, its name): cumulative time per request.
PARTS = [
    ("templates", "django/template/base.py", "render"),
    ("  crispy", "crispy_forms/templatetags/crispy_forms_filters.py", "as_crispy_field"),
    ("session", "django/contrib/sessions/middleware.py", "process_response"),
    ("view", "django/core/handlers/base.py", "_get_response"),
]


def cumulative(stats: pstats.Stats, path: str, name: str) -> float:
    """Cumulative seconds of the outermost calls of `name` in `path` (recursion counted once)."""
    total = 0.0
    for (filename, _line, function), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
        if function == name and filename.endswith(path):
            total = max(total, ct)  # the outermost entry holds the nested ones
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument(
        "--top", type=int, default=0, help="also print each kind's N costliest functions"
    )
    parser.add_argument(
        "--sql", type=int, default=0, help="also print one request's queries, N characters each"
    )
    parser.add_argument("--only", help="only the page kinds whose label contains this")
    parser.add_argument("--database-url", default=f"sqlite:///{WORK / 'profile.sqlite3'}")
    parser.add_argument("--redis", action="store_true", help="the cache in a Redis of its own")
    args = parser.parse_args()
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    redis = None
    if args.redis:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        command = [shutil.which("redis-server") or "/usr/bin/redis-server", "--port", str(port)]
        # Loopback only, nothing saved to disk, the script's own folder.
        command += ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(WORK)]
        redis = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.environ["CACHE_URL"] = f"redis://127.0.0.1:{port}/1"
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
    try:
        profile_pages(args)
    finally:
        if redis is not None:
            redis.terminate()
            redis.wait(10)


def profile_pages(args) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "SITE_URL": "http://testserver",
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "SECURE_HSTS_SECONDS": "0",
            "DATABASE_URL": args.database_url,
            "VAR_DIR": str(WORK),
            "MEDIA_ROOT": str(WORK / "media"),
            "LOG_LEVEL": "WARNING",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            **{
                f"RATE_LIMIT_{name}_PER_HOUR": "1000000"
                for name in ("LETTERS", "SUBMITS", "PDFS", "EMAILS")
            },
        }
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from campaign.models import Campaign
    from letters import tasks
    from letters.selectors import get_letter_by_token

    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    call_command("migrate", verbosity=0)
    call_command("load_seed", verbosity=0)
    campaign = Campaign.objects.filter(status=Campaign.Status.OPEN).order_by("pk").first()
    client = Client()

    def compose_fields(html: str) -> dict:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        boxes = re.findall(r'name="recommendations" value="(\d+)"', html)[:2]
        recipients = re.findall(r'<input[^>]*name="recipients"[^>]*value="(\d+)"', html)
        recipients = recipients or re.findall(r'value="(\d+)"[^>]*name="recipients"', html)
        return {
            "csrfmiddlewaretoken": token,
            "first_name": "Ava",
            "last_name": f"Okafor-{secrets.token_hex(2)}",
            "school": "Lincoln Middle School",
            "city": "Morgantown",
            "state": "West Virginia",
            "recommendations": boxes,
            "recommendation_order": ",".join(boxes),
            "personal_paragraph": "Nobody should be afraid to walk to school.",
            "recipients": recipients[:1],
            "letter_language": "en",
            "website": "",
        }

    compose_url = f"/campaigns/{campaign.slug}/write/"
    fields = compose_fields(client.get(compose_url).content.decode())  # one CSRF token a session
    letters: list[str] = []

    def write_letter():
        data = {**fields, "last_name": f"Okafor-{secrets.token_hex(3)}"}
        response = client.post(compose_url, data)
        assert response.status_code == 302, response.content.decode()[-2000:]
        letters.append(response["Location"])
        return response

    class Done:
        status_code = 200

    def prepare_pdf(url: str) -> Done:
        letter = get_letter_by_token(url.rstrip("/").rsplit("/", 1)[-1])
        assert tasks.prepare_letter_pdf(letter.pk)
        return Done()

    kinds = [
        ("campaign page", None, lambda: client.get(f"/campaigns/{campaign.slug}/")),
        ("compose form", None, lambda: client.get(compose_url)),
        ("compose submit", None, write_letter),
        ("preview", None, lambda: client.get(letters[-1])),
        # The worker renders a PDF when a letter is saved; here no worker runs, so the first
        # download renders it, as it does when the worker is late.
        ("PDF, first download (renders)", write_letter, lambda: client.get(letters.pop() + "pdf/")),
        ("PDF, again (stored)", None, lambda: client.get(letters[0] + "pdf/")),
        # What the worker does for each saved letter (tasks.prepare_letter_pdf), in this process:
        # the render and everything around it (the letter read, storage, the cache's marks).
        ("worker: a saved letter's PDF", write_letter, lambda: prepare_pdf(letters.pop())),
    ]
    print(
        f"{args.requests} requests each, {connection.vendor}, campaign {campaign.slug!r}; "
        "ms per request (cumulative: crispy is part of templates, templates of the view)\n"
    )
    header = f"{'page kind':<32}{'total':>8}{'database':>10}{'queries':>9}"
    header += f"{'redis':>7}" if args.redis else ""
    header += "".join(f"{label.strip():>11}" for label, *_ in PARTS) + f"{'middleware':>12}"
    print(header)
    database = {"seconds": 0.0, "queries": 0, "redis": 0}
    if args.redis:
        import redis as redis_py

        def counted(method):
            def count(*args, **kwargs):
                database["redis"] += 1
                return method(*args, **kwargs)

            return count

        # A pipeline's commands go in one round trip, through execute, not execute_command.
        redis_py.Redis.execute_command = counted(redis_py.Redis.execute_command)
        redis_py.client.Pipeline.execute = counted(redis_py.client.Pipeline.execute)

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            database["seconds"] += time.perf_counter() - start
            database["queries"] += 1

    write_letter()
    for label, prepare, ask in kinds:
        if args.only and args.only not in label:
            continue
        if prepare:
            for _ in range(args.requests + 1):
                prepare()
        ask()  # warm: the cache, the first render's fonts and stylesheet
        if args.sql:
            if prepare:
                prepare()
            with CaptureQueriesContext(connection) as captured:
                ask()
            print(f"\n{label}: {len(captured)} queries")
            for query in captured.captured_queries:
                print("   ", query["sql"][: args.sql])
        profile = cProfile.Profile()
        totals = []
        database.update(seconds=0.0, queries=0, redis=0)
        with connection.execute_wrapper(timed):
            for _ in range(args.requests):
                start = time.perf_counter()
                profile.enable()
                response = ask()
                profile.disable()
                totals.append(time.perf_counter() - start)
                assert response.status_code in (200, 302), (label, response.status_code)
        stats = pstats.Stats(profile)
        per = 1000 / args.requests
        parts = {name: cumulative(stats, path, function) * per for name, path, function in PARTS}
        total = statistics.mean(totals) * 1000
        print(
            f"{label:<32}{total:>8.1f}{database['seconds'] * per:>10.1f}"
            f"{database['queries'] / args.requests:>9.1f}"
            + (f"{database['redis'] / args.requests:>7.1f}" if args.redis else "")
            + "".join(f"{parts[name]:>11.1f}" for name, *_ in PARTS)
            + f"{total - parts['view']:>12.1f}",
            flush=True,
        )
        if args.top:
            stats.sort_stats("tottime").print_stats(args.top)
            stats.sort_stats("cumulative").print_stats(args.top)
    print(
        "\n(cProfile slows Python code about 1.5-2x: compare the parts with each other, and the "
        "totals with the load benchmark's unloaded medians)"
    )


if __name__ == "__main__":
    main()
