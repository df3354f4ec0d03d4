"""Reads that views share."""

import re

from django.db.models import Count
from django.http import Http404

from letters.models import Batch, Delivery, Letter

TOKEN_MAX_LENGTH = 64
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]+")


def get_letter_by_token(token: str) -> Letter:
    """The letter behind a private link, or 404: a wrong token and a deleted letter look alike."""
    if not token or len(token) > TOKEN_MAX_LENGTH or not TOKEN_PATTERN.fullmatch(token):
        raise Http404
    letter = (
        Letter.objects.select_related("campaign", "template", "team").filter(token=token).first()
    )
    if letter is None:
        raise Http404
    return letter


def batch_progress_counts(batch: Batch) -> dict:
    """Deliveries of a batch by state, and how far along it is."""
    counts = dict(batch.deliveries.values_list("state").annotate(n=Count("pk")).order_by())
    total = sum(counts.values())
    # The app's part is done once a delivery is sent, failed, or in the print pack.
    done = sum(
        counts.get(state, 0)
        for state in (Delivery.State.SENT, Delivery.State.FAILED, Delivery.State.PACKED)
    )
    return {
        "total": total,
        **{state: counts.get(state, 0) for state in Delivery.State.values},
        "percent": round(100 * done / total) if total else 100,
        "finished": done == total,
        "pack_ready": bool(batch.pack),
        "pack_error": batch.pack_error,
    }
