"""1,000 letters to one official through the real path, end to end.

    .venv/bin/python benchmarks/send_batch.py [--letters 1000] [--database-url URL]

Writes the letters into a fresh database (SQLite under var/bench/ unless --database-url), starts
an aiosmtpd server and a real Celery worker (concurrency 2) on a redis-server of its own (started on a
free port, stopped at the end; --redis-url names another, whose database must then be empty: it is
never flushed), starts an email batch and waits until every delivery is sent: letters per second end to end. Then
renders the same letters' PDFs alone, in this one process: letters per second, and the ratio.
"""

import argparse
import os
import secrets
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH = ROOT / "var" / "bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--database-url", default=f"sqlite:///{BENCH / 'bench.sqlite3'}")
    parser.add_argument(
        "--redis-url", default="", help="an empty Redis database (default: start our own server)"
    )
    args = parser.parse_args()

    shutil.rmtree(BENCH, ignore_errors=True)
    BENCH.mkdir(parents=True)
    import redis

    from tests.integration.services import LocalRedis, SmtpServer, Worker, wait_for

    own_redis = None
    if not args.redis_url:
        binary = shutil.which("redis-server")
        if binary is None:
            sys.exit("redis-server is not installed (Debian: apt-get install redis-server)")
        own_redis = LocalRedis(binary)
        args.redis_url = f"redis://127.0.0.1:{own_redis.port}/0"
    elif redis.Redis.from_url(args.redis_url).dbsize():
        sys.exit(f"{args.redis_url} is not empty; give an empty database (it is never flushed)")
    smtp = SmtpServer().__enter__()
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
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from letters import batches, rendering
    from letters.models import Batch, Delivery, Letter, LetterPdf
    from tests import factories

    if args.database_url.startswith("postgres"):
        call_command("flush", interactive=False, verbosity=0)
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

    worker = Worker({**os.environ, "PYTHONUNBUFFERED": "1"}, name="bench", concurrency=2)
    try:
        start = time.perf_counter()
        with transaction.atomic():
            batch = batches.batch_start(campaign=campaign, method=Batch.Method.EMAIL, user=None)

        def finished() -> bool:
            """every delivery sent or failed"""
            return not batch.deliveries.filter(
                state__in=[Delivery.State.QUEUED, Delivery.State.SENDING]
            ).exists()

        wait_for(finished, timeout=3600, every=0.5)
        elapsed = time.perf_counter() - start
    finally:
        worker.stop()
        smtp.__exit__(None, None, None)
        if own_redis is not None:
            own_redis.stop()
    sent = batch.deliveries.filter(state=Delivery.State.SENT).count()
    end_to_end = sent / elapsed
    print(
        f"end to end: {sent} letters sent, {len(smtp.received)} messages received, "
        f"in {elapsed:.1f} s = {end_to_end:.1f} letters/s (worker concurrency 2)"
    )

    letters = list(Letter.objects.filter(campaign=campaign).order_by("pk"))
    LetterPdf.objects.all().delete()
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
