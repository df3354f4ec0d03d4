"""The coordinator's chart: letters per day as bars of an SVG drawn in the template."""

import datetime

from django.utils import timezone


def per_day_chart(per_day: list, *, days: int = 60, width: int = 600, height: int = 160) -> dict:
    """The bars of the letters-per-day chart, as numbers for an SVG drawn in the template."""
    today = timezone.localdate()
    start = today - datetime.timedelta(days=days - 1)
    counts = {day: n for day, n in per_day if day and day >= start}
    series = [(start + datetime.timedelta(days=i), 0) for i in range(days)]
    series = [(day, counts.get(day, 0)) for day, _ in series]
    peak = max((n for _, n in series), default=0) or 1
    bar = width / days
    bars = [
        {
            "x": round(i * bar, 2),
            "width": round(bar * 0.8, 2),
            "height": round((n / peak) * (height - 20), 2),
            "y": round(height - (n / peak) * (height - 20), 2),
            "day": day,
            "count": n,
        }
        for i, (day, n) in enumerate(series)
    ]
    return {
        "bars": bars,
        "width": width,
        "height": height,
        "peak": peak,
        "start": start,
        "end": today,
    }
