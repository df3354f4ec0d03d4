"""Helpers for letter tests: post the compose form as a browser would, read a PDF back."""

import io

from pypdf import PdfReader


def compose_data(student: dict, recommendations, recipients, *, order=None, **overrides) -> dict:
    chosen = order if order is not None else recommendations
    return {
        **student,
        "recommendations": [str(item.pk) for item in recommendations],
        "recommendation_order": ",".join(str(item.pk) for item in chosen),
        "recipients": [str(official.pk) for official in recipients],
        **overrides,
    }


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_reader(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


def squash(text: str) -> str:
    """Text with all white space folded, so line wrapping does not matter in comparisons."""
    return " ".join(text.split())
