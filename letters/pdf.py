"""HTML to PDF: the only module that calls WeasyPrint.

One font configuration and one parsed stylesheet per page size are made once per process and
reused for every letter: measured here, a new FontConfiguration per letter grew a worker from 64 to
128 MB over 200 letters, and re-parsing the stylesheet and its @font-face rules costs time on every
render. WeasyPrint fetches nothing but the project's own letter assets (see AssetFetcher).

Every character the PDF is to print comes from the bundled fonts: any that none of them has (text
an administrator typed, a letter saved before the form checked) is replaced with U+FFFD before
WeasyPrint sees it, so no PDF holds the empty `.notdef` glyph PDF/UA-1 forbids (letters/fonts.py).
"""

import logging
import mimetypes
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

import cssselect2
import tinyhtml5
from weasyprint import CSS, HTML
from weasyprint.pdf import tags as pdf_tags
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from letters import fonts

logger = logging.getLogger(__name__)

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
PAGE_SIZES = {"letter": "letter", "A4": "A4"}
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


class RefusedURL(ValueError):
    """WeasyPrint asked for something outside the letter assets."""


class AssetFetcher(URLFetcher):
    """Serves files under one folder, read by this code; refuses every other URL.

    The URL is decoded once, resolved to a real path (symlinks followed) and must lie inside the
    folder. http(s), ftp, data: and file: URLs anywhere else are refused, so nothing a student
    types and nothing on the network or the disk can reach a PDF.
    """

    def __init__(self, root: Path = ASSETS_DIR):
        super().__init__(allowed_protocols=("file",), fail_on_errors=False)
        self.root = root.resolve()
        self.base_url = self.root.as_uri() + "/"

    def resolve(self, url: str) -> Path:
        parts = urlsplit(url)
        if parts.scheme.lower() != "file":
            raise RefusedURL(f"only the letter assets may be fetched, not {url[:200]!r}")
        if parts.netloc not in ("", "localhost"):
            raise RefusedURL(f"file URL names a host: {url[:200]!r}")
        path_text = unquote(parts.path, errors="strict")
        if "\x00" in path_text:
            raise RefusedURL("file URL holds a NUL byte")
        path = Path(path_text).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise RefusedURL(f"not a letter asset: {url[:200]!r}")
        return path

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        try:
            path = self.resolve(url)
        except (RefusedURL, UnicodeDecodeError) as error:
            logger.warning("PDF fetch refused: %s", error)
            raise RefusedURL(str(error)) from error
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
        )


def _tag_with_languages(build_box_tree):
    """WeasyPrint's tagged PDF gives each structure element its HTML tag, not its `lang`: give
    it that too (/Lang), so a screen reader reads an English part of a Spanish letter in English
    (PDF/UA asks for the language of every part in another one than the document's)."""

    def build(box, parent, *args):
        element = getattr(box, "element", None)
        language = element.get("lang") if element is not None else None
        for structure in build_box_tree(box, parent, *args):
            if language and structure.get("P") == parent.reference:
                structure["Lang"] = pdf_tags.pydyf.String(language)
            yield structure

    return build


#: HTML's void elements: written `<br>` in the templates, `<br/>` for an XML parser.
_VOID = re.compile(
    r"<(area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr)\b([^>]*?)/?>"
)


def parse_html(document: str) -> ElementTree.Element:
    """The document's element tree, as WeasyPrint's HTML parser (tinyhtml5) builds it.

    The PDF templates write well-formed markup (every element closed but the void ones, every
    character of text and attributes escaped by the templates), so the standard library's XML
    parser (expat, in C) reads it, with the void elements closed first: 0.05 ms a letter's page
    against 3 ms in tinyhtml5, pure Python (8% of a letter's instructions, callgrind). A document
    that is not well-formed XML (an entity HTML knows and XML does not, an attribute with no
    value) is read by tinyhtml5 as before. tests/letters/test_pdf_parser.py lays every kind of PDF
    out with both and compares every page."""
    try:
        # Not untrusted XML: every "<" and "&" of what a student or editor typed reaches the
        # document escaped, so its only declarations and elements are the templates' own (no
        # entity can be declared; expat fetches no external one).
        return ElementTree.fromstring(_VOID.sub(r"<\1\2/>", document))  # noqa: S314
    except ElementTree.ParseError:
        logger.debug("PDF document is not well-formed XML: read by the HTML parser")
        return tinyhtml5.parse(document, namespace_html_elements=False)


class LetterHTML(HTML):
    """WeasyPrint's HTML, parsed by parse_html, with the letters' own user-agent stylesheet
    (assets/user-agent.css): its own cut down to the elements the PDF templates use, which lays
    a letter out the same for less work (7% fewer instructions a letter, measured with
    callgrind). The sheet is parsed once per process; each document, once per render.

    Given a string (all pdf.py gives it), it sets what WeasyPrint's own __init__ sets (the tree,
    the base URL, the fetcher, the media type): tests/letters/test_pdf_parser.py checks both set
    the same attributes, so a WeasyPrint that sets another fails there, not in a letter."""

    _user_agent: CSS | None = None

    def __init__(self, *, string: str, base_url: str, url_fetcher: URLFetcher):
        self.base_url = base_url  # the templates have no <base> (test_pdf_user_agent.py)
        self.url_fetcher = url_fetcher
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(
            parse_html(string), content_language=None
        )
        self.etree_element = self.wrapper_element.etree_element

    def _ua_stylesheets(self, forms=False):
        if forms:  # no PDF here has form fields (PDF_OPTIONS); WeasyPrint's sheets if one does
            return super()._ua_stylesheets(forms=True)
        if LetterHTML._user_agent is None:
            LetterHTML._user_agent = CSS(filename=str(ASSETS_DIR / "user-agent.css"))
        return [LetterHTML._user_agent]


if not hasattr(pdf_tags._build_box_tree, "tags_languages"):
    pdf_tags._build_box_tree = _tag_with_languages(pdf_tags._build_box_tree)
    pdf_tags._build_box_tree.tags_languages = True

_fetcher = AssetFetcher()
_font_config: FontConfiguration | None = None
_stylesheets: dict[str, CSS] = {}
# WeasyPrint's font configuration is shared; renders in one process take turns.
_lock = threading.Lock()
_renders = 0


def render_count() -> int:
    """How many PDFs this process has rendered: what tests and benchmarks count renders by."""
    return _renders


def _stylesheet(page_size: str) -> CSS:
    global _font_config
    if page_size not in _stylesheets:
        if _font_config is None:
            _font_config = FontConfiguration()
        css = (ASSETS_DIR / "letter.css").read_text(encoding="utf-8")
        css += f"\n@page {{ size: {PAGE_SIZES[page_size]}; }}\n"
        _stylesheets[page_size] = CSS(
            string=css, base_url=_fetcher.base_url, url_fetcher=_fetcher, font_config=_font_config
        )
    return _stylesheets[page_size]


def _printable(html: str) -> str:
    """The document as the bundled fonts print it (fonts.printable): the markup is ASCII, so only
    text and attribute values can change."""
    printable = fonts.printable(html)
    if printable is not html and (found := fonts.unprintable_characters(html)):
        logger.warning(
            "PDF text held %d character(s) no bundled font prints, replaced with U+FFFD: %s",
            len(found),
            " ".join(f"U+{ord(char):04X}" for cluster in found[:20] for char in cluster),
        )
    return printable


def render_pdf(
    html: str | Sequence[str],
    *,
    page_size: str = "letter",
) -> bytes:
    """The PDF of an HTML document (a letter from rendering.letter_html, a cover sheet), as bytes.

    Given several documents, each is laid out on its own (its own page numbers, "Page 2 of 3"
    counting its pages, and its first page without the running header) and their pages are joined
    into one PDF, with the first document's title and language.
    """
    if page_size not in PAGE_SIZES:
        raise ValueError(f"unknown page size {page_size!r}")
    documents = [html] if isinstance(html, str) else list(html)
    if not documents:
        raise ValueError("no document to render")
    global _renders
    with _lock:
        _renders += 1
        stylesheet = _stylesheet(page_size)
        rendered = [
            LetterHTML(
                string=_printable(document),
                base_url=_fetcher.base_url,
                url_fetcher=_fetcher,
            ).render(stylesheets=[stylesheet], font_config=_font_config, **PDF_OPTIONS)
            for document in documents
        ]
        joined = rendered[0]
        if len(rendered) > 1:
            joined = rendered[0].copy([page for document in rendered for page in document.pages])
        return joined.write_pdf(**PDF_OPTIONS)
