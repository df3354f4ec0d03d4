"""Read a letter PDF back as a reader's tools do: poppler's pdftotext (text, and each word's box)
and pypdf (text, fonts, and the glyphs each page shows)."""

import io
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ContentStream

from tests.conftest import require

#: The marks pdftotext puts around right-to-left runs (U+202A to U+202E): not text of the letter.
BIDI_MARKS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f]")


def require_poppler() -> None:
    require(
        shutil.which("pdftotext") is not None,
        "pdftotext (poppler)",
        "apt-get install poppler-utils",
    )


@dataclass(frozen=True)
class Word:
    page: int  # from 1
    page_width: float
    page_height: float
    x_min: float
    y_min: float
    x_max: float
    y_max: float
    text: str


class _BoxParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.words: list[Word] = []
        self._page = (0, 0.0, 0.0)
        self._word: dict | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "page":
            self._page = (self._page[0] + 1, float(values["width"]), float(values["height"]))
        elif tag == "word":
            self._word = {key: float(values[key]) for key in ("xmin", "ymin", "xmax", "ymax")}
            self._word["text"] = ""

    def handle_data(self, data):
        if self._word is not None:
            self._word["text"] += data

    def handle_endtag(self, tag):
        if tag == "word" and self._word is not None:
            word = self._word
            self.words.append(
                Word(
                    *self._page,
                    word["xmin"],
                    word["ymin"],
                    word["xmax"],
                    word["ymax"],
                    word["text"],
                )
            )
            self._word = None


def _pdftotext(content: bytes, *options: str) -> str:
    require_poppler()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "letter.pdf"
        path.write_bytes(content)
        result = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", *options, str(path), "-"],
            capture_output=True,
            check=True,
            timeout=60,
        )
    return result.stdout.decode("utf-8")


def word_boxes(content: bytes) -> list[Word]:
    """Every word pdftotext finds, with its page and box (points, origin at the top left)."""
    parser = _BoxParser()
    parser.feed(_pdftotext(content, "-bbox"))
    return parser.words


def lines_of(words: list[Word], *, page: int) -> list[list[Word]]:
    """The words of one page grouped in lines (their middles less than 5 points apart; fonts of
    different scripts give boxes of different heights), each line from left to right."""
    lines: list[list[Word]] = []
    for word in sorted((w for w in words if w.page == page), key=lambda w: (w.y_min + w.y_max) / 2):
        middle = (word.y_min + word.y_max) / 2
        if lines and abs(middle - (lines[-1][0].y_min + lines[-1][0].y_max) / 2) < 5:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w.x_min) for line in lines]


def poppler_pages(content: bytes, *, raw: bool = False) -> list[str]:
    """The text of each page as pdftotext reads it, without its direction marks. By default
    pdftotext puts right-to-left words back in typing order, and joins a word broken after a
    hyphen at a line's end, dropping the hyphen; `raw` keeps every character, in the order the
    page draws them."""
    text = _pdftotext(content, *(["-raw"] if raw else []))
    return [BIDI_MARKS.sub("", page) for page in text.split("\f")[:-1]]


def pypdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def font_names(content: bytes) -> set[str]:
    """The base names of the fonts the pages use (subset prefix removed)."""
    names = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+", 1)[-1])
    return names


def _string_bytes(operand) -> bytes:
    original = getattr(operand, "original_bytes", None)
    return original if original is not None else bytes(operand)


def notdef_glyphs(content: bytes) -> list[tuple[int, str]]:
    """(page, font) for every glyph a page shows as `.notdef`: glyph 0 shown directly, or a code
    the font's own CMap sends to glyph 0 (how WeasyPrint writes a character no font had)."""
    reader = PdfReader(io.BytesIO(content))
    found = []
    for number, page in enumerate(reader.pages, start=1):
        fonts = {
            name: font.get_object() for name, font in page["/Resources"].get("/Font", {}).items()
        }
        to_notdef: dict[str, set[int]] = {}
        for name, font in fonts.items():
            encoding = font.get("/Encoding")
            codes = {0}
            if encoding is not None and not isinstance(encoding.get_object(), str):
                cmap = encoding.get_object().get_data().decode("latin-1")
                codes |= {
                    int(code, 16)
                    for code, cid in re.findall(r"<([0-9a-fA-F]+)>\s+(\d+)", cmap)
                    if cid == "0"
                }
            to_notdef[name] = codes
        current = None
        operations = ContentStream(page.get_contents(), reader).operations
        for operands, operator in operations:
            if operator == b"Tf":
                current = operands[0]
                continue
            if operator in (b"Tj", b"'", b'"'):
                strings = [operands[-1]]
            elif operator == b"TJ":
                strings = [item for item in operands[0] if isinstance(item, str | bytes)]
            else:
                continue
            notdef = to_notdef.get(current, {0})
            for string in strings:
                data = _string_bytes(string)
                for index in range(0, len(data) - 1, 2):
                    if int.from_bytes(data[index : index + 2], "big") in notdef:
                        font = fonts.get(current)
                        found.append((number, str(font["/BaseFont"]) if font else str(current)))
    return found
