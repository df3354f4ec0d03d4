"""1,000 letters to one official through the real path, end to end.

    .venv/bin/python benchmarks/send_batch.py [--letters 1000] [--database-url URL]
        [--workers 1] [--concurrency 2] [--prerendered] [--alone 200]

Writes the letters into a fresh database (SQLite under var/bench/; or --database-url, a PostgreSQL
database that must exist, and is emptied first), starts an aiosmtpd server and --workers real
Celery worker processes (each --concurrency) on a redis-server of its own (started on a free port,
stopped at the end; --redis-url names another, whose database must then be empty: it is never
flushed, and the students' PDF tasks the letters queued stay in it), starts an email batch and
waits until every delivery is sent: letters per second end to end, the machine's CPU use meanwhile,
and the workers' memory (resident, each worker with its pool processes) when they were ready and at
the end. With --prerendered each letter's PDF is rendered once first, by one process a core (as its
student's download or an earlier batch would have): the batch then reads them from storage. Last,
renders --alone of the letters' PDFs in this one process: letters per second, and the ratio.

Worker speed-up: run it with --workers 1 --concurrency 1, then --workers 2 --concurrency 1.
"""

import argparse
import contextlib
import multiprocessing
import os
import secrets
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH = ROOT / "var" / "bench"


def cpu_busy() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine so far, from /proc/stat."""
    numbers = [float(n) for n in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    return sum(numbers) - numbers[3] - numbers[4], sum(numbers)


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its descendants (a Celery worker and its pool), MB."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            status = (entry / "status").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        found = [line for line in status.splitlines() if line.startswith("VmRSS:")]
        rss[int(entry.name)] = int(found[0].split()[1]) if found else 0
    tree, todo = set(), [pid]
    while todo:
        current = todo.pop()
        tree.add(current)
        todo += [child for child, parent in parents.items() if parent == current]
    return sum(rss.get(p, 0) for p in tree) / 1024


def prerender(job: tuple[list[int], int]) -> None:
    """Render and store the PDFs of these letters to the official (in a forked process)."""
    from campaign.models import Official
    from letters import documents
    from letters.models import Letter

    letter_ids, official_id = job
    official = Official.objects.get(pk=official_id)
    for letter in Letter.objects.filter(pk__in=letter_ids).select_related("template"):
        documents.letter_pdf_for(letter, official)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--database-url", default=f"sqlite:///{BENCH / 'bench.sqlite3'}")
    parser.add_argument(
        "--redis-url", default="", help="an empty Redis database (default: start our own server)"
    )
    parser.add_argument("--workers", type=int, default=1, help="Celery worker processes")
    parser.add_argument("--concurrency", type=int, default=2, help="each worker's pool")
    parser.add_argument(
        "--prerendered", action="store_true", help="each letter's PDF rendered once beforehand"
    )
    parser.add_argument("--alone", type=int, default=200, help="letters rendered alone at the end")
    args = parser.parse_args()

    shutil.rmtree(BENCH, ignore_errors=True)
    BENCH.mkdir(parents=True)
    # The Redis and SMTP servers started here are stopped however the run ends, a failed set-up
    # included (a database that does not exist left both running before).
    with contextlib.ExitStack() as stack:
        run(args, stack)


def run(args: argparse.Namespace, stack: contextlib.ExitStack) -> None:
    import redis

    from tests.integration.services import LocalRedis, SmtpServer, Worker, wait_for

    own_redis = None
    if not args.redis_url:
        binary = shutil.which("redis-server")
        if binary is None:
            sys.exit("redis-server is not installed (Debian: apt-get install redis-server)")
        own_redis = LocalRedis(binary)
        stack.callback(own_redis.stop)
        args.redis_url = f"redis://127.0.0.1:{own_redis.port}/0"
    elif redis.Redis.from_url(args.redis_url).dbsize():
        sys.exit(f"{args.redis_url} is not empty; give an empty database (it is never flushed)")
    smtp = stack.enter_context(SmtpServer())
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "SITE_URL": "http://127.0.0.1:8000",
            "DATABASE_URL": args.database_url,
            "CELERY_BROKER_URL": args.redis_url,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "EMAIL_USE_TLS": "false",
            "MEDIA_ROOT": str(BENCH / "media"),
            "VAR_DIR": str(BENCH),
            "LOG_LEVEL": "WARNING",
            "SENDER_EMAIL_DOMAINS": "example.org",  # the campaign sends from campaign@example.org
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import OperationalError, transaction

    from letters import batches, rendering
    from letters.models import Batch, Delivery, Letter
    from tests import factories

    if args.database_url.startswith("postgres"):
        try:
            call_command("flush", interactive=False, verbosity=0)
        except OperationalError as error:
            sys.exit(f"{args.database_url}: {error}\n(create the database first: it is emptied)")
    call_command("migrate", verbosity=0)
    official = factories.OfficialFactory(delivery_email="official@example.gov")
    campaign = factories.CampaignFactory(sender_email="campaign@example.org", review_required=True)
    rec_list = factories.RecommendationListFactory()
    items = [
        factories.RecommendationFactory(recommendation_list=rec_list, position=i) for i in (1, 2, 3)
    ]
    campaign.recommendation_lists.add(rec_list)
    campaign.default_recommendations.add(*items)
    campaign.targets.add(official)
    factories.LetterTemplateFactory(campaign=campaign)
    print(f"writing {args.letters} letters ...", flush=True)
    factories.approved_letters(campaign, args.letters)
    if own_redis is not None:
        # Each submit queued its student's PDF (rendered ahead of their download, in production
        # long before a batch): taken off our own broker, so the batch is measured alone.
        redis.Redis.from_url(args.redis_url).delete("celery")

    if args.prerendered:
        start = time.perf_counter()
        ids = list(Letter.objects.filter(campaign=campaign).values_list("pk", flat=True))
        # One process a core (forked: each opens its own database connection).
        from django.db import connections

        connections.close_all()
        processes = os.cpu_count() or 1
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            pool.map(prerender, [(ids[n::processes], official.pk) for n in range(processes)])
        print(
            f"rendered once beforehand in {time.perf_counter() - start:.1f} s "
            f"({processes} processes)",
            flush=True,
        )

    workers = [
        Worker(
            # INFO: the Worker helper waits for celery's " ready." line.
            {**os.environ, "PYTHONUNBUFFERED": "1", "LOG_LEVEL": "INFO"},
            name=f"bench{number}",
            concurrency=args.concurrency,
        )
        for number in range(args.workers)
    ]
    memory_start = [tree_rss_mb(worker.process.pid) for worker in workers]
    try:
        start = time.perf_counter()
        busy_before = cpu_busy()
        with transaction.atomic():
            batch = batches.batch_start(campaign=campaign, method=Batch.Method.EMAIL, user=None)

        def finished() -> bool:
            """every delivery sent or failed"""
            return not batch.deliveries.filter(
                state__in=[Delivery.State.QUEUED, Delivery.State.SENDING]
            ).exists()

        wait_for(finished, timeout=3600, every=0.5)
        elapsed = time.perf_counter() - start
        busy_after = cpu_busy()
        memory_end = [tree_rss_mb(worker.process.pid) for worker in workers]
    finally:
        for worker in workers:
            worker.stop()
    busy = 100 * (busy_after[0] - busy_before[0]) / max(busy_after[1] - busy_before[1], 1)
    sent = batch.deliveries.filter(state=Delivery.State.SENT).count()
    end_to_end = sent / elapsed
    setup = f"{args.workers} worker process(es), concurrency {args.concurrency} each"
    print(
        f"end to end: {sent} letters sent, {len(smtp.received)} messages received, "
        f"in {elapsed:.1f} s = {end_to_end:.2f} letters/s ({setup}"
        f"{', PDFs rendered beforehand' if args.prerendered else ''}); "
        f"machine {busy:.0f}% busy ({os.cpu_count()} cores)"
    )
    for number, (first, last) in enumerate(zip(memory_start, memory_end, strict=True)):
        print(
            f"worker {number} memory (with its pool): {first:.0f} MB when ready, {last:.0f} MB "
            f"at the end ({last - first:+.0f} MB)"
        )

    letters = list(Letter.objects.filter(campaign=campaign).order_by("pk")[: args.alone])
    if not letters:
        return
    start = time.perf_counter()
    for letter in letters:
        rendering.letter_pdf(rendering.render_letter(letter, official_id=official.pk))
    alone_elapsed = time.perf_counter() - start
    alone = len(letters) / alone_elapsed
    print(
        f"rendered alone: {len(letters)} letters in {alone_elapsed:.1f} s = {alone:.1f} letters/s "
        "(one process)"
    )
    print(f"ratio end-to-end/render-alone: {end_to_end / alone:.2f}")


if __name__ == "__main__":
    main()
