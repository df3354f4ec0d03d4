"""How fast a ZIP code finds a student's members of Congress (the compose form's lookup).

    .venv/bin/python benchmarks/congress_lookup.py [--lookups 2000] [--database-url URL]

Imports the shipped public data (data/us-congress/) into a fresh database (SQLite under
var/bench-congress/ unless --database-url), then times `campaign.selectors.congress_lookup` and the
compose form's whole ZIP code step (`letters.congress_step.congress_step`: reading the ZIP code, the
lookup, the districts to choose from and each member's name) for ZIP codes drawn from the data
(one district, several districts, several states) and unknown ones. Prints the median, the 95th
and 99th percentiles in milliseconds; the target is a median under 5 ms (the tail shows what else
the machine was doing: its load average is printed). Queries are not logged, as in production.
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH = ROOT / "var" / "bench-congress"
TARGET_MS = 5.0


def _times(function, arguments) -> list[float]:
    elapsed = []
    for argument in arguments:
        start = time.perf_counter()
        function(argument)
        elapsed.append((time.perf_counter() - start) * 1000)
    return elapsed


def _report(name: str, elapsed: list[float]) -> float:
    ordered = sorted(elapsed)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    p99 = ordered[int(len(ordered) * 0.99) - 1]
    median = statistics.median(ordered)
    verdict = "ok" if median < TARGET_MS else f"OVER {TARGET_MS:g} ms"
    print(
        f"{name:<40} median {median:6.2f} ms   p95 {p95:6.2f} ms   p99 {p99:6.2f} ms   ({verdict})"
    )
    return median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lookups", type=int, default=2000)
    parser.add_argument("--database-url", default=f"sqlite:///{BENCH / 'bench.sqlite3'}")
    args = parser.parse_args()
    shutil.rmtree(BENCH, ignore_errors=True)
    BENCH.mkdir(parents=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "true",
            "DATABASE_URL": args.database_url,
            "VAR_DIR": str(BENCH),
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False  # as in production: the database layer keeps no log of queries

    from campaign.congress_import import congress_import
    from campaign.models import Campaign, ZipCodeArea
    from campaign.selectors import congress_lookup
    from letters.congress_step import congress_step

    call_command("migrate", verbosity=0)
    congress_import()
    zip_codes = list(ZipCodeArea.objects.values_list("zip_code", flat=True).distinct())
    rng = random.Random(20)
    drawn = [rng.choice(zip_codes) for _ in range(args.lookups)]
    drawn += [f"{rng.randrange(100000):05d}" for _ in range(args.lookups // 10)]  # some unknown
    rng.shuffle(drawn)
    campaign = Campaign(congress_members=Campaign.CongressMembers.BOTH)

    def whole_step(zip_code: str) -> None:
        step = congress_step(campaign=campaign, zip_typed=zip_code)
        for option in step.options:
            for office in option.members:
                office.name  # noqa: B018 (the holder's name, as the page shows it)

    congress_lookup(drawn[0])  # warm: connection, imports
    print(
        f"{len(drawn)} ZIP codes ({len(zip_codes)} known in the data); "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    worst = max(
        _report("congress_lookup (the selector)", _times(congress_lookup, drawn)),
        _report("congress_step (the form's whole step)", _times(whole_step, drawn)),
    )
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
