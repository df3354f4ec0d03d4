"""Which characters a letter can print: the union of the bundled fonts' character maps.

The letter PDFs use only the fonts in letters/assets/fonts/ (see the README there). A character
none of them has would print as an empty box (the `.notdef` glyph), which a reader cannot read,
text extraction reads as garbage and PDF/UA-1 forbids. So:

- the compose form refuses such characters, naming them (`unprintable_characters`);
- pdf.py passes every document through `printable`, which replaces any that still reach it (text
  an administrator typed, a letter saved before the form checked) with U+FFFD, a visible mark the
  fonts have.

What counts as printable:

- a character some bundled font maps to a glyph, except those below;
- emoji are refused, though DejaVu Sans has a few: the student sees them in colour in the browser,
  a letter would print some in black and white and others (skin tones, flags, families) not at
  all, so none print. A character asks for emoji presentation when Unicode gives it
  Emoji_Presentation (😀, ⭐, flags, skin tones) or when U+FE0F follows it (❤️); ❤ or ☺ typed as
  text print from DejaVu Sans like any other symbol;
- private-use, unassigned and visible format characters (U+0600 ARABIC NUMBER SIGN, ...) are
  refused: Pango draws a format character in the font of the text around it, whichever that is;
- characters that show nothing (Unicode's default-ignorable code points: zero-width joiners,
  direction marks, variation selectors; line breaks and tabs) need no glyph: HarfBuzz hides them;
- every space prints: Pango draws a space in the font of the text around it, and only U+0020 and
  U+00A0 are in every bundled font, so `printable` turns the other spaces (U+3000, U+2009, ...)
  into those two.

What the student reads as one character (a base letter with its combining marks, an emoji with its
modifiers and joiners, a flag's two letters) is named as one: the text is cut into extended
grapheme clusters (Unicode Standard Annex #29, by the `regex` module).
"""

import functools
import unicodedata
from pathlib import Path

import regex

FONTS_DIR = Path(__file__).resolve().parent / "assets" / "fonts"
REPLACEMENT = "\ufffd"

_CLUSTER = regex.compile(r"\X")
_EMOJI = regex.compile(r"[\p{Emoji_Presentation}\ufe0f]")
#: Private use (its look depends on the font), unassigned, surrogates: never printed.
_NEVER = {"Co", "Cn", "Cs"}
#: Spaces other than U+0020 and U+00A0, and what they print as: a no-break space stays one.
_SPACES = regex.compile(r"[\p{Zs}--[\x20\xa0]]", regex.VERSION1)
_NO_BREAK_SPACES = {"\u2007", "\u202f"}

#: Unicode's default-ignorable code points (DerivedCoreProperties.txt; a stable list), which
#: HarfBuzz hides, and the line breaks and tabs the text may hold. U+FE0F is not among them
#: here: it asks for an emoji.
_NO_GLYPH_RANGES = [
    (0x09, 0x0A), (0x0D, 0x0D), (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C),
    (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0E), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
]  # fmt: skip


def font_files() -> list[Path]:
    """The bundled font files, in name order."""
    return sorted(FONTS_DIR.glob("*.ttf"))


@functools.cache
def font_coverage() -> dict[str, frozenset[int]]:
    """Each bundled font's character map (code points with a glyph), by file name."""
    from fontTools.ttLib import TTFont

    coverage = {}
    for path in font_files():
        font = TTFont(path, lazy=True)
        cmap = font.getBestCmap()
        coverage[path.name] = frozenset(code for code, glyph in cmap.items() if glyph != ".notdef")
        font.close()
    return coverage


@functools.cache
def printable_characters() -> frozenset[str]:
    """Every character a letter prints: computed once per process."""
    covered = frozenset().union(*font_coverage().values())
    refused = {ord(char) for char in _EMOJI.findall("".join(map(chr, sorted(covered))))}
    refused |= {
        code
        for code in covered
        if unicodedata.category(chr(code)) in _NEVER or unicodedata.category(chr(code)) == "Cf"
    }
    no_glyph = {code for low, high in _NO_GLYPH_RANGES for code in range(low, high + 1)}
    spaces = {code for code in range(0x3001) if unicodedata.category(chr(code)) == "Zs"}
    return frozenset(map(chr, (covered - refused) | no_glyph | spaces))


def _unprintable_clusters(text: str):
    printable = printable_characters()
    if printable.issuperset(text):
        return  # the common case: no need to cut the text into clusters
    for cluster in _CLUSTER.findall(text):
        if not printable.issuperset(cluster):
            yield cluster


def unprintable_characters(text: str) -> list[str]:
    """The characters of `text` no bundled font prints, each once, in the order they come
    (a base letter with its marks, or an emoji sequence, counts as one character)."""
    return list(dict.fromkeys(_unprintable_clusters(text)))


def _space(match) -> str:
    return "\xa0" if match.group() in _NO_BREAK_SPACES else " "


def printable(text: str) -> str:
    """`text` as the bundled fonts print it: each space one of U+0020 and U+00A0, each character
    no bundled font prints replaced by U+FFFD. The same string when nothing changes."""
    unprintable = set(_unprintable_clusters(text))
    if unprintable:
        text = "".join(
            REPLACEMENT if cluster in unprintable else cluster for cluster in _CLUSTER.findall(text)
        )
    if _SPACES.search(text):
        text = _SPACES.sub(_space, text)
    return text


def shown(cluster: str) -> str:
    """How to name a character to a person: itself when it shows something, else its code
    (U+E000) when it shows nothing or nothing reliable (private use, unassigned, format
    characters, a lone combining mark)."""
    if any(unicodedata.category(char)[0] in "LNPS" for char in cluster) and not any(
        unicodedata.category(char) in _NEVER for char in cluster
    ):
        return cluster
    return " ".join(f"U+{ord(char):04X}" for char in cluster)
