"""How fast a letter is compared with the others of its campaign, at 10,000 letters.

    .venv/bin/python benchmarks/similarity.py [--letters 10000] [--database-url URL]

Fills a fresh database (SQLite under var/bench-similarity/ unless --database-url) with N submitted
letters whose personal paragraphs are made of random sentences (some copied from each other), then
measures the app's own comparison (services._similar_sketches: the LetterBand index, then the
candidates' sketches) for 200 new paragraphs, and the same comparison done by scanning every
sketch of the campaign. Prints milliseconds per letter for both.
"""

import argparse
import os
import random
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH = ROOT / "var" / "bench-similarity"

WORDS = [
    "landmines",
    "children",
    "school",
    "field",
    "farm",
    "river",
    "village",
    "mine",
    "clearance",
    "treaty",
    "president",
    "safe",
    "walk",
    "home",
    "family",
    "grandmother",
    "war",
    "years",
    "cluster",
    "bombs",
    "hope",
    "peace",
    "neighbours",
    "rice",
    "rain",
    "road",
    "doctor",
    "leg",
    "ban",
    "stockpile",
    "destroy",
    "country",
    "world",
    "future",
    "teacher",
    "friends",
    "play",
    "football",
]


def paragraph(rng: random.Random) -> str:
    return " ".join(
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16))) + "."
        for _ in range(rng.randint(3, 8))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--letters", type=int, default=10_000)
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
    from django.core.management import call_command

    from letters import services, variation
    from letters.models import Letter, LetterBand
    from tests import factories

    call_command("migrate", verbosity=0)
    campaign = factories.CampaignFactory()
    factories.LetterTemplateFactory(campaign=campaign)
    template = campaign.templates.get()
    rng = random.Random(7)
    texts = []
    print(f"writing {args.letters} letters ...", flush=True)
    for start in range(0, args.letters, 1000):
        batch = []
        for _ in range(min(1000, args.letters - start)):
            text = rng.choice(texts) if texts and rng.random() < 0.05 else paragraph(rng)
            texts.append(text)
            batch.append(
                Letter(
                    campaign=campaign,
                    template=template,
                    first_name="A",
                    last_name="B",
                    school="S",
                    city="C",
                    state="ST",
                    personal_paragraph=text,
                    status=Letter.Status.SUBMITTED,
                    sketch=variation.sketch(text),
                )
            )
        Letter.objects.bulk_create(batch)
    bands = [
        LetterBand(campaign=campaign, letter_id=pk, band=band)
        for pk, signature in Letter.objects.values_list("pk", "sketch")
        for band in variation.bands(signature)
    ]
    LetterBand.objects.bulk_create(bands, batch_size=5000)

    probes = [rng.choice(texts) if i % 4 == 0 else paragraph(rng) for i in range(200)]
    new = Letter(campaign=campaign, template=template, pk=0)
    start = time.perf_counter()
    indexed_found = 0
    for text in probes:
        signature = variation.sketch(text)
        similar = services._similar_sketches(letter=new, signature=signature)
        best = max(
            (variation.estimated_similarity(signature, s) for _, s, _score in similar), default=0
        )
        indexed_found += best >= variation.SIMILAR
    indexed = (time.perf_counter() - start) / len(probes) * 1000

    start = time.perf_counter()
    scan_found = 0
    for text in probes:
        signature = variation.sketch(text)
        sketches = Letter.objects.filter(campaign=campaign).values_list("sketch", flat=True)
        best = max((variation.estimated_similarity(signature, s) for s in sketches), default=0)
        scan_found += best >= variation.SIMILAR
    scan = (time.perf_counter() - start) / len(probes) * 1000

    print(f"{args.letters} letters in the campaign, 200 new paragraphs (a quarter copied)")
    print(f"indexed (LetterBand):  {indexed:7.2f} ms a letter, {indexed_found} found alike")
    print(f"full scan:             {scan:7.2f} ms a letter, {scan_found} found alike")


if __name__ == "__main__":
    main()
