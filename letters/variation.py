"""How much of a letter is the student's own, and how close it is to other letters.

Offices give more weight to personal letters than to identical form letters. Two measures, shown
to the student as a nudge (never a block) and to coordinators in the review queue:

- personal share: the share of the letter's words that are the student's own (the personal
  paragraph), against the template's words and the quoted recommendations;
- similarity: the highest word-shingle resemblance (estimated Jaccard of 3-word shingles) between
  the student's own words and those of any other letter submitted to the campaign.

Comparing with every other letter would grow with the campaign. Each letter instead keeps a
MinHash sketch of its shingles (32 numbers), and its sketch's bands (8 bands of 4) are indexed in
LetterBand: a letter is compared only with the letters that share a band, the ones likely to be
similar, in one indexed query (benchmarks/similarity.py measures it at 10,000 letters).
"""

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

SHINGLE_SIZE = 3
SKETCH_SIZE = 32
BANDS = 8
ROWS = SKETCH_SIZE // BANDS
_PRIME = (1 << 61) - 1
_MASK = (1 << 63) - 1
# Fixed, so sketches stored today compare with sketches made next year.
_SEEDS = [
    (
        int.from_bytes(hashlib.blake2b(f"a{i}".encode(), digest_size=8).digest(), "big") | 1,
        int.from_bytes(hashlib.blake2b(f"b{i}".encode(), digest_size=8).digest(), "big"),
    )
    for i in range(SKETCH_SIZE)
]
_WORD = re.compile(r"\w+", re.UNICODE)

#: Below this share of own words, the student is nudged to add more of their own.
THIN_SHARE = 0.15
#: From this similarity on, the student is told their words look like another letter's.
SIMILAR = 0.5


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def personal_share(*, own: str, letter_words: int) -> float:
    """The share of the letter's words that are the student's own."""
    if letter_words <= 0:
        return 0.0
    return min(1.0, len(words(own)) / letter_words)


def shingles(text: str) -> set[int]:
    tokens = words(text)
    if len(tokens) < SHINGLE_SIZE:
        tokens = tokens + [""] * (SHINGLE_SIZE - len(tokens)) if tokens else []
    return {
        int.from_bytes(
            hashlib.blake2b(
                " ".join(tokens[i : i + SHINGLE_SIZE]).encode(), digest_size=8
            ).digest(),
            "big",
        )
        for i in range(max(0, len(tokens) - SHINGLE_SIZE + 1))
    }


def sketch(text: str) -> list[int] | None:
    """The MinHash sketch of the text's shingles, or None when it has no words."""
    values = shingles(text)
    if not values:
        return None
    return [min(((a * v + b) % _PRIME) & _MASK for v in values) for a, b in _SEEDS]


def bands(signature: list[int]) -> list[int]:
    """One number per band of the sketch: letters that share one are compared."""
    return [
        int.from_bytes(
            hashlib.blake2b(
                f"{band}:{signature[band * ROWS : (band + 1) * ROWS]}".encode(), digest_size=8
            ).digest(),
            "big",
        )
        & _MASK
        for band in range(BANDS)
    ]


def estimated_similarity(first: list[int], second: list[int]) -> float:
    return sum(a == b for a, b in zip(first, second, strict=True)) / SKETCH_SIZE


@dataclass(frozen=True)
class Measures:
    personal_share: float
    similarity: float
    thin: bool
    similar: bool


def measure(*, own: str, letter_words: int, others: Iterable[list[int]]) -> Measures:
    share = personal_share(own=own, letter_words=letter_words)
    mine = sketch(own)
    similarity = (
        max((estimated_similarity(mine, other) for other in others), default=0.0) if mine else 0.0
    )
    return Measures(share, similarity, thin=share < THIN_SHARE, similar=similarity >= SIMILAR)
