"""Reads that views share."""

from django.http import Http404

from letters.models import Letter

TOKEN_MAX_LENGTH = 64


def get_letter_by_token(token: str) -> Letter:
    """The letter behind a private link, or 404: a wrong token and a deleted letter look alike."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        raise Http404
    letter = (
        Letter.objects.select_related("campaign", "template", "team").filter(token=token).first()
    )
    if letter is None:
        raise Http404
    return letter
