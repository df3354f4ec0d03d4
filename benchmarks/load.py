"""Load benchmark: many students at once against gunicorn and PostgreSQL on loopback.

    .venv/bin/python benchmarks/load.py [--users 50] [--duration 60] [--think 3.0]
    .venv/bin/python benchmarks/load.py --ramp [--users 25 --step 25 --step-seconds 20]
    .venv/bin/python benchmarks/load.py --base-url http://127.0.0.1:8000   # a running server

Without --base-url the script sets everything up itself and takes it down at the end, even on
error: a fresh database on the PostgreSQL server at 127.0.0.1:5432 (user postgres, trust auth;
--database; a run refuses to start while something is connected to it: two runs at once would cut
each other off), `migrate`, `load_seed`, `collectstatic` into a temporary STATIC_ROOT, a Redis of
its own on a free port (the cache and the Celery broker; only this one is ever stopped, nothing is
flushed), a Celery worker (which renders the students' PDFs, as in production) and gunicorn with
the deployed configuration (`config/gunicorn_conf.py`; --web-workers and --threads override it)
on a free port, with production settings and the per-address rate limits raised (every simulated
student comes from 127.0.0.1).

--ramp adds --step users every --step-seconds, starting from --users, and prints each step's
figures, until the pages' p95 passes 200 ms (or --max-users): the users and requests/s reached.

Each simulated student loops, with a random pause (mean --think seconds) before each request:
campaign page, compose form, compose submit (a 302 to the preview), preview, PDF download.
Prints count, requests/s, p50/p95/p99 latency and errors per kind and overall, then whether the
targets are met: no errors, p95 under 200 ms for pages and under 1 s for a PDF. Exits 1 when a
request failed (a wrong status or a connection error); missed targets are only reported.
The users run on the same machine as the server: anything else busy skews the figures, so the
last lines give the machine's CPU use during the run and the server log's warnings.
"""

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
PG_URL = "postgres://postgres@127.0.0.1:5432"
KINDS = ("campaign page", "compose form", "compose submit", "preview", "PDF")
TARGETS_MS = {"page": 200.0, "PDF": 1000.0}  # p95; --page-target, --pdf-target
FIRST_NAMES = ["Ava", "Ben", "Chloé", "Dmitri", "Esi", "Farah", "Gabriel", "Hana", "Iker", "Jun"]
LAST_NAMES = ["Nguyễn", "Okafor", "Smith", "García", "Kowalski", "Haddad", "Tanaka", "Olsen"]
SENTENCES = [
    "My cousin lives where fields are still being cleared of mines.",
    "Nobody should be afraid to walk to school or to farm their land.",
    "I want my country to lead by example and join the treaty.",
]
STUDENT = {"school": "Lincoln Middle School", "city": "Morgantown", "state": "West Virginia"}
ROW = "{:<16}{:>8}{:>9}{:>9}{:>9}{:>9}{:>8}"
RAMP_HEAD = "{:>6}{:>9}{:>13}{:>11}{:>8}{:>7}"
RAMP_ROW = "{:>6}{:>9.1f}{:>10.0f} ms{:>8.0f} ms{:>8}{:>6.0f}%"
REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"
RENDERED = re.compile(r"PDF rendered in (\d+) ms")
CHOICE = re.compile(r"<input[^>]*\bname=\"(recommendations|recipients|letter_language)\"[^>]*>")


class Stats:
    """Latencies (seconds) and errors per kind, shared by every user thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)
        self.errors = Counter()
        self.reasons = Counter()

    def record(self, kind: str, seconds: float | None, error: str | None = None) -> None:
        """seconds None: an error found in an answer whose latency is already recorded."""
        with self.lock:
            if seconds is not None:
                self.latencies[kind].append(seconds)
            if error:
                self.errors[kind] += 1
                self.reasons[f"{kind}: {error}"] += 1


class Failed(Exception):
    """A request that did not get the expected answer; the user starts a new letter."""


class Done(Exception):
    """The next request would start after the end of the run."""


def some(values: list[str]) -> list[str]:
    """One or more of `values`, in a random order."""
    return random.sample(values, random.randint(1, len(values)))


class User:
    """One student with one keep-alive connection and a cookie jar."""

    def __init__(self, base_url: str, stats: Stats):
        url = urllib.parse.urlsplit(base_url)
        self.conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=30)
        self.stats = stats
        self.cookies: dict[str, str] = {}

    def request(self, kind, method, path, body=None, expect=200):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        # A new connection per request, as gunicorn's sync workers serve them: a kept-alive
        # connection the server already closed would count as an error that is not the app's.
        self.conn.close()
        start = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.conn.close()
            self.stats.record(kind, time.perf_counter() - start, type(error).__name__)
            raise Failed from error
        elapsed = time.perf_counter() - start
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        error = None if response.status == expect else f"HTTP {response.status}"
        self.stats.record(kind, elapsed, error)
        if error:
            raise Failed(error)
        return response, content.decode("utf-8", "replace")

    def write_letter(self, slug: str, pause) -> None:
        pause()
        self.request("campaign page", "GET", f"/campaigns/{slug}/")
        pause()
        compose = f"/campaigns/{slug}/write/"
        _, html = self.request("compose form", "GET", compose)
        choices = defaultdict(list)
        for tag in CHOICE.finditer(html):
            value = re.search(r"\bvalue=\"([^\"]+)\"", tag.group(0))
            if value:
                choices[tag.group(1)].append(value.group(1))
        token = re.search(r"name=\"csrfmiddlewaretoken\" value=\"([^\"]+)\"", html)
        if not (choices["recommendations"] and choices["recipients"] and token):
            self.stats.record("compose form", None, "no checkboxes or CSRF token in the form")
            raise Failed
        recommendations = some(choices["recommendations"])
        fields = {
            **STUDENT,
            "csrfmiddlewaretoken": token.group(1),
            "first_name": random.choice(FIRST_NAMES),
            "last_name": f"{random.choice(LAST_NAMES)}-{secrets.token_hex(2)}",
            "grade": random.choice(["", "7", "8", "9", "college"]),
            "email": "",
            "team_code": "",
            "website": "",  # the honeypot
            "recommendations": recommendations,
            "recommendation_order": ",".join(recommendations),
            "personal_paragraph": " ".join(random.sample(SENTENCES, random.randint(0, 3))),
            "recipients": some(choices["recipients"]),
            "letter_language": random.choice(choices["letter_language"] or [""]),
        }
        body = urllib.parse.urlencode(fields, doseq=True)
        pause()
        response, _ = self.request("compose submit", "POST", compose, body, expect=302)
        location = urllib.parse.urlsplit(response.getheader("Location", "")).path
        if not re.fullmatch(r"/letters/[A-Za-z0-9_-]{16,64}/", location):
            self.stats.record("compose submit", None, f"redirect to {location!r}")
            raise Failed(location)
        pause()
        self.request("preview", "GET", location)
        pause()
        self.request("PDF", "GET", f"{location}pdf/")


class Run:
    """The users' shared state: the stats being filled, and the end of the run."""

    def __init__(self, deadline: float):
        self.stats = Stats()
        self.deadline = deadline


def start_users(base_url: str, slugs: list[str], count: int, think: float, run: Run) -> list:
    def pause():
        seconds = random.uniform(0.5, 1.5) * think
        if time.monotonic() + seconds >= run.deadline:
            raise Done
        time.sleep(seconds)

    def loop():
        user = User(base_url, run.stats)
        time.sleep(random.uniform(0, think))  # users arrive over the first think time
        try:
            while True:
                user.stats = run.stats  # a ramp's next step counts in its own stats
                with contextlib.suppress(Failed):
                    user.write_letter(random.choice(slugs), pause)
        except Done:
            user.conn.close()

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads


def run_users(base_url: str, slugs: list[str], users: int, duration: float, think: float):
    run = Run(time.monotonic() + duration)
    start = time.monotonic()
    for thread in start_users(base_url, slugs, users, think, run):
        thread.join()
    return run.stats, time.monotonic() - start


def ramp(base_url: str, slugs: list[str], args) -> int:
    """Users added step by step until the pages' p95 passes the target."""
    run = Run(time.monotonic() + 24 * 3600)
    threads, users, reached = [], 0, None
    print(f"ramp: +{args.step} users every {args.step_seconds:g} s, think {args.think:g} s")
    print(
        "{:>6}{:>9}{:>13}{:>11}{:>8}{:>7}".format(
            "users", "req/s", "pages p95", "PDF p95", "errors", "busy"
        )
    )
    while users < args.max_users:
        added = args.users if users == 0 else args.step
        threads += start_users(base_url, slugs, added, args.think, run)
        users += added
        time.sleep(args.think * 1.5)  # the new users' first requests
        run.stats = Stats()
        before = cpu_busy()
        time.sleep(args.step_seconds)
        stats, after = run.stats, cpu_busy()
        busy = 100 * (after[0] - before[0]) / max(after[1] - before[1], 1)
        pages = [x for kind in KINDS if kind != "PDF" for x in stats.latencies[kind]]
        count = pages + stats.latencies["PDF"]
        page_p95 = percentile(pages, 0.95) if pages else 0.0
        pdf_p95 = percentile(stats.latencies["PDF"], 0.95) if stats.latencies["PDF"] else 0.0
        errors = sum(stats.errors.values())
        print(
            RAMP_ROW.format(users, len(count) / args.step_seconds, page_p95, pdf_p95, errors, busy),
            flush=True,
        )
        if page_p95 >= TARGETS_MS["page"] or errors:
            break
        reached = (users, len(count) / args.step_seconds, busy)
    run.deadline = 0  # every user stops at its next pause
    for thread in threads:
        thread.join(timeout=60)
    if reached:
        print(
            f"\nReached {reached[0]} users at {reached[1]:.1f} requests/s with the pages' p95 under "
            f"{TARGETS_MS['page']} ms (machine {reached[2]:.0f}% busy, {os.cpu_count()} cores)"
        )
    else:
        print(f"\nThe pages' p95 passed {TARGETS_MS['page']} ms at the first step")
    return 0


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] * 1000


def report(stats: Stats, elapsed: float, users: int) -> bool:
    print(f"\n{users} users for {elapsed:.1f} s\n")
    print(ROW.format("kind", "count", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors"))
    everything = [latency for kind in KINDS for latency in stats.latencies[kind]]
    for kind, values in [*((k, stats.latencies[k]) for k in KINDS), ("overall", everything)]:
        errors = sum(stats.errors.values()) if kind == "overall" else stats.errors[kind]
        ms = [f"{percentile(values, f):.0f}" if values else "-" for f in (0.50, 0.95, 0.99)]
        print(ROW.format(kind, len(values), f"{len(values) / elapsed:.1f}", *ms, errors))
    for reason, count in stats.reasons.most_common(10):
        print(f"  error x{count}: {reason}")
    missed = []
    for kind in KINDS:
        target = TARGETS_MS["PDF" if kind == "PDF" else "page"]
        if stats.latencies[kind] and percentile(stats.latencies[kind], 0.95) >= target:
            missed.append(f"{kind} p95 >= {target} ms")
    if stats.errors:
        missed.append(f"{sum(stats.errors.values())} errors")
    print(
        f"\nTargets (pages p95 < {TARGETS_MS['page']:g} ms, PDF p95 < {TARGETS_MS['PDF']:g} ms, no errors):",
        end=" ",
    )
    print("met" if not missed else "MISSED: " + "; ".join(missed))
    return not stats.errors


def campaign_slugs(base_url: str) -> list[str]:
    """The campaigns a student can write to with the plain form: open, with officials to tick
    (a campaign to the members of Congress found by ZIP code, or a closed one, is left out)."""
    with urllib.request.urlopen(base_url + "/", timeout=30) as response:  # noqa: S310
        slugs = re.findall(r"href=\"/campaigns/([\w-]+)/\"", response.read().decode())
    if not slugs:
        seed = json.loads((ROOT / "fixtures" / "seed.json").read_text())
        slugs = [campaign["slug"] for campaign in seed["campaigns"]]
    writable = []
    for slug in sorted(set(slugs)):
        url = f"{base_url}/campaigns/{slug}/write/"
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
            names = {tag.group(1) for tag in CHOICE.finditer(response.read().decode())}
        if {"recommendations", "recipients"} <= names:
            writable.append(slug)
        else:
            print(f"left out: {slug} (no officials to tick: closed, or by ZIP code)")
    return writable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def refuse_a_database_in_use(name: str) -> None:
    """Exit when something is connected to `name`: another run's server and worker, which the
    forced drop of `recreate_database` would cut off in the middle of their run."""
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        query = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
        if in_use := conn.execute(query, [name]).fetchone()[0]:
            sys.exit(
                f"database {name!r} has {in_use} connection(s): another load.py running, or one "
                "that did not stop. Stop it, or give this run --database OTHER_NAME."
            )


def recreate_database(name: str, drop_only: bool = False) -> None:
    import psycopg
    from psycopg import sql

    database = sql.Identifier(name)
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(database))


class ConnectionPeak:
    """The most connections open to `database` at once while the users run (pg_stat_activity,
    looked at twice a second): what the web's threads and the worker hold, against PostgreSQL's
    max_connections."""

    def __init__(self, database: str | None):
        self.database, self.peak, self.limit = database, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        import psycopg

        with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
            self.limit = int(conn.execute("SHOW max_connections").fetchone()[0])
            while not self._stop.wait(0.5):
                count = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [self.database]
                ).fetchone()[0]
                self.peak = max(self.peak, count)

    def __enter__(self):
        if self.database:
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        if self.database:
            print(
                f"PostgreSQL: at most {self.peak} connections to the database at once "
                f"(max_connections {self.limit})"
            )


def manage(env: dict) -> None:
    for command in (["migrate"], ["load_seed"], ["collectstatic", "--noinput"]):
        print("manage.py", *command, flush=True)
        subprocess.run([PYTHON, "manage.py", *command, "-v", "0"], cwd=ROOT, env=env, check=True)
    if subprocess.run([PYTHON, "-c", "import gunicorn"], env=env, check=False).returncode:
        sys.exit("gunicorn is missing from .venv (see pyproject.toml): .venv/bin/pip install .")


def wait_until_up(server: subprocess.Popen, base_url: str, log: Path) -> None:
    for _ in range(300):
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(base_url + "/", timeout=5):  # noqa: S310
                return
        except OSError:
            time.sleep(0.1)
    sys.exit("gunicorn did not answer within 30 s")


def cpu_busy() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine so far, from /proc/stat (zeros elsewhere)."""
    try:
        numbers = [float(n) for n in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except OSError:
        return 0.0, 0.0
    return sum(numbers) - numbers[3] - numbers[4], sum(numbers)


def cpu_by_process() -> dict[int, tuple[str, float]]:
    """Each process's kind (web, worker, PostgreSQL, Redis, this load generator, other) and CPU
    seconds so far, with its reaped children's (a finished PostgreSQL backend's time is its
    server's), from /proc (empty elsewhere)."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    found = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        used = sum(int(value) for value in fields[11:15]) / ticks  # utime stime cutime cstime
        if int(entry.name) == os.getpid():
            kind = "load generator"
        elif "gunicorn" in command:
            kind = "web (gunicorn)"
        elif "celery" in command:
            kind = "worker (celery)"
        elif command.startswith("postgres") or "postgres:" in command:
            kind = "PostgreSQL"
        elif "redis-server" in command:
            kind = "Redis"
        else:
            kind = "other"
        found[int(entry.name)] = (kind, used)
    return found


def cpu_report(before: dict, after: dict, elapsed: float) -> None:
    """Each kind's share of the machine (all cores) while the users ran: what each process used
    in between (all of it for one started in between; a process that ended in between is
    counted in its parent's children's time, or not at all)."""
    capacity = elapsed * (os.cpu_count() or 1)
    used: Counter = Counter()
    for pid, (kind, seconds) in after.items():
        used[kind] += seconds - (before[pid][1] if pid in before else 0.0)
    shares = [
        f"{kind} {100 * seconds / capacity:.0f}%"
        for kind, seconds in used.most_common()
        if seconds > 0.005 * capacity
    ]
    print("CPU by process, share of the machine:", ", ".join(shares))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds")
    parser.add_argument(
        "--think",
        type=float,
        default=3.0,
        help="mean seconds a student spends on a page before the next request (1.5 to 4.5 s; "
        "--think 1 is a harsher test)",
    )
    parser.add_argument("--base-url", help="an already running server (nothing is set up)")
    parser.add_argument("--database", default="campaign_letters_load")
    parser.add_argument("--web-workers", type=int, help="gunicorn processes (default: the conf's)")
    parser.add_argument("--threads", type=int, help="threads in each (default: the conf's)")
    parser.add_argument("--worker-class", help="e.g. sync (default: the conf's gthread)")
    parser.add_argument(
        "--celery-workers",
        type=int,
        default=1,
        help="Celery worker processes rendering the students' PDFs (0: none; the web renders)",
    )
    parser.add_argument(
        "--worker-concurrency",
        type=int,
        default=os.cpu_count() or 1,
        help="processes in each Celery worker (default: one a core)",
    )
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=10,
        help="the Celery worker's nice level, as deploy/campaign-letters-worker.service sets it "
        "(0: the web's own priority)",
    )
    parser.add_argument("--page-target", type=float, default=200.0, help="p95 ms")
    parser.add_argument("--pdf-target", type=float, default=1000.0, help="p95 ms")
    parser.add_argument("--ramp", action="store_true", help="add users until pages pass 200 ms")
    parser.add_argument("--step", type=int, default=25)
    parser.add_argument("--step-seconds", type=float, default=20.0)
    parser.add_argument("--max-users", type=int, default=400)
    args = parser.parse_args()
    TARGETS_MS.update(page=args.page_target, PDF=args.pdf_target)

    def benchmark(base_url: str) -> int:
        slugs = campaign_slugs(base_url)
        if args.ramp:
            return ramp(base_url, slugs, args)
        print(f"{args.users} users, {args.duration:g} s, think {args.think:g} s, {base_url}")
        print("campaigns:", ", ".join(slugs), flush=True)
        processes = cpu_by_process()
        before = (*cpu_busy(), time.process_time())
        with ConnectionPeak(None if args.base_url else args.database):
            stats, elapsed = run_users(base_url, slugs, args.users, args.duration, args.think)
        after = (*cpu_busy(), time.process_time())
        processes_after = cpu_by_process()
        busy, total, own = (a - b for a, b in zip(after, before, strict=True))
        ok = report(stats, elapsed, args.users)
        print(
            f"CPU: machine {100 * busy / max(total, 1):.0f}% busy ({os.cpu_count()} cores),", end=""
        )
        print(f" this load generator {100 * own / elapsed:.0f}% of one core")
        cpu_report(processes, processes_after, elapsed)
        return 0 if ok else 1

    if args.base_url:
        return benchmark(args.base_url.rstrip("/"))

    port = free_port()
    with tempfile.TemporaryDirectory(prefix="campaign-letters-load-") as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "SITE_URL": f"http://127.0.0.1:{port}",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "SECURE_HSTS_SECONDS": "0",
            "DATABASE_URL": f"{PG_URL}/{args.database}",
            "VAR_DIR": tmp,
            "MEDIA_ROOT": f"{tmp}/media",
            "STATIC_ROOT": f"{tmp}/static",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            **{
                f"RATE_LIMIT_{name}_PER_HOUR": "1000000"
                for name in ("LETTERS", "SUBMITS", "PDFS", "EMAILS")
            },
        }
        log = Path(tmp) / "gunicorn.log"
        worker_log = Path(tmp) / "worker.log"
        refuse_a_database_in_use(args.database)
        server = redis = None
        workers = []
        try:
            # A Redis of this run's own: the cache (shared by the web processes: the content
            # cache, rate limits, the PDF render locks) and the Celery broker.
            redis_port = free_port()
            redis = subprocess.Popen(
                [
                    REDIS,
                    "--port",
                    str(redis_port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    tmp,
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            env["CACHE_URL"] = f"redis://127.0.0.1:{redis_port}/1"
            env["CELERY_BROKER_URL"] = f"redis://127.0.0.1:{redis_port}/0"
            recreate_database(args.database)
            manage(env)
            for number in range(args.celery_workers):
                with worker_log.open("ab") as out:
                    workers.append(
                        subprocess.Popen(
                            [
                                *(
                                    ["nice", "-n", str(args.worker_nice)]
                                    if args.worker_nice
                                    else []
                                ),
                                PYTHON,
                                "-m",
                                "celery",
                                "-A",
                                "config",
                                "worker",
                                "--concurrency",
                                str(args.worker_concurrency),
                                "--hostname",
                                f"load{number}@%h",
                                "--loglevel",
                                "INFO",
                            ],
                            cwd=ROOT,
                            env=env,
                            stdout=out,
                            stderr=out,
                        )
                    )
            # As deploy/ runs it (config/gunicorn_conf.py), unless told otherwise.
            gunicorn = [PYTHON, "-m", "gunicorn", "config.wsgi", "-c", "config/gunicorn_conf.py"]
            if args.web_workers:
                gunicorn += ["--workers", str(args.web_workers)]
            if args.threads:
                gunicorn += ["--threads", str(args.threads)]
            if args.worker_class:
                gunicorn += ["--worker-class", args.worker_class]
            print(
                "server:",
                " ".join(gunicorn[2:]),
                f"+ {args.celery_workers} Celery worker(s) of {args.worker_concurrency} at nice "
                f"{args.worker_nice}",
            )
            with log.open("wb") as out:
                server = subprocess.Popen(
                    [*gunicorn, "--bind", f"127.0.0.1:{port}"],
                    cwd=ROOT,
                    env=env,
                    stdout=out,
                    stderr=out,
                )
            wait_until_up(server, f"http://127.0.0.1:{port}", log)
            return benchmark(f"http://127.0.0.1:{port}")
        finally:
            for process in [server, *workers, redis]:
                if process is not None and process.poll() is None:
                    process.send_signal(signal.SIGTERM)  # gunicorn and celery stop their children
                    try:
                        process.wait(timeout=15)
                    except subprocess.TimeoutExpired:
                        process.kill()
                        process.wait()
            renders = {
                where: [int(ms) for ms in RENDERED.findall(path.read_text(errors="replace"))]
                for where, path in (("the web", log), ("the worker", worker_log))
                if path.exists()
            }
            if renders:
                print(
                    "\nstudents' PDFs rendered by",
                    ", ".join(
                        f"{where}: {len(times)}"
                        + (f" (median {sorted(times)[len(times) // 2]} ms each)" if times else "")
                        for where, times in renders.items()
                    ),
                )
            if log.exists():
                lines = log.read_text(errors="replace").splitlines()
                notable = [x for x in lines if re.search(r"WARNING|ERROR|CRITICAL|Traceback", x)]
                print(f"\ngunicorn log: {len(notable)} warnings/errors", *notable[:10], sep="\n  ")
            if worker_log.exists():
                lines = worker_log.read_text(errors="replace").splitlines()
                notable = [x for x in lines if re.search(r"ERROR|CRITICAL|Traceback", x)]
                print(f"worker log: {len(notable)} errors", *notable[:10], sep="\n  ")
            recreate_database(args.database, drop_only=True)


if __name__ == "__main__":
    sys.exit(main())
