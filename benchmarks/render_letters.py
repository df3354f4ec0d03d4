"""Render N letters through the app's own code and the same HTML through bare WeasyPrint.

    .venv/bin/python benchmarks/render_letters.py [--letters 200] [--cjk] [--bare-system-fonts]

The app path is the one every preview download, email and print pack takes
(rendering.render_snapshot -> rendering.letter_pdf -> pdf.render_pdf, with the shared font
configuration, the parsed stylesheet, each official's letter laid out on its own for its page
numbers, and a tagged PDF/UA-1 file). The bare path gives WeasyPrint the same HTML and the same
stylesheet the way a first attempt would, following WeasyPrint's documentation for @font-face: a
new FontConfiguration, CSS and HTML object per letter, default options; both paths then print in
the same bundled fonts (the script prints the fonts each embedded). `--bare-system-fonts` gives
the bare path no FontConfiguration, as this benchmark did before the CJK fonts: WeasyPrint then
ignores the @font-face rules and prints in whatever fonts the machine has, so that figure depends
on the machine. `--cjk` writes the student's name, school, place and part of the personal paragraph
in Chinese, Japanese and Korean. Prints letters per second for both and, last,
`ratio app/bare: X.XX`.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

import io  # noqa: E402

from pypdf import PdfReader  # noqa: E402
from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402

from letters import pdf, rendering  # noqa: E402
from tests.factories import TEMPLATE_BODY  # noqa: E402

RECOMMENDATIONS = [
    "Ban the use of antipersonnel landmines without geographic exceptions, including the Korean Peninsula.",
    "Ban the development, production or acquisition of all antipersonnel landmines, including so-called non-persistent landmines.",
    "Lay out an accelerated timeline for the destruction of stockpiled landmines and provide concrete plans and mechanisms for public reporting on progress.",
]


CJK_AUTHOR = {
    "last_name": "王",
    "school": "東京都立日比谷高等学校",
    "city": "서울특별시",
    "state": "台北市",
}
CJK_PARAGRAPH = (
    "我的家乡曾经有很多地雷\uff0c孩子们不能在田野里玩。私は地雷のない世界を願っています。"
    "우리는 지뢰 없는 세상을 원합니다. "
)


def snapshot(number: int, *, cjk: bool = False) -> dict:
    data = _snapshot(number)
    if cjk:
        data["author"].update(CJK_AUTHOR, first_name=f"小明{number}")
        data["personal_paragraph"] = CJK_PARAGRAPH * 2 + data["personal_paragraph"]
    return data


def _snapshot(number: int) -> dict:
    return {
        "version": 1,
        "campaign": {"title": "Join the Mine Ban Treaty", "page_size": "letter"},
        "template": {
            "id": 1,
            "version": 1,
            "language": "en",
            "subject": "Please join the Mine Ban Treaty",
            "body": TEMPLATE_BODY,
            "closing": "Sincerely",
        },
        "date": "2026-11-23",
        "author": {
            "first_name": f"Student{number}",
            "last_name": "Nguyễn",
            "school": "Lincoln Middle School",
            "grade": "8",
            "city": "Morgantown",
            "state": "West Virginia",
        },
        "personal_paragraph": (
            "My cousin lives in Cambodia, where fields are still being cleared of mines. "
            "I want every child to walk to school safely. " * 3
        ),
        "recommendations": [
            {"id": i, "text": text, "source": "USCBL-USCMC"}
            for i, text in enumerate(RECOMMENDATIONS)
        ],
        "recipients": [
            {
                "id": 1,
                "name": "Joseph R. Biden",
                "office": "President of the United States",
                "salutation": "Dear Mr. President",
                "address": "The White House\n1600 Pennsylvania Avenue NW\nWashington, DC 20500",
            },
            {
                "id": 2,
                "name": "Antony Blinken",
                "office": "Secretary of State",
                "salutation": "Dear Secretary Blinken",
                "address": "U.S. Department of State\n2201 C Street NW\nWashington, DC 20520",
            },
        ],
        "cc": [
            {
                "id": 3,
                "name": "Jake Sullivan",
                "office": "National Security Advisor",
                "salutation": "",
                "address": "",
            }
        ],
    }


def app_render(snap: dict) -> bytes:
    return rendering.letter_pdf(rendering.render_snapshot(snap))


def bare_render(html: str, css_text: str, *, system_fonts: bool = False) -> bytes:
    base = pdf.ASSETS_DIR.as_uri() + "/"
    if system_fonts:
        return HTML(string=html, base_url=base).write_pdf(
            stylesheets=[CSS(string=css_text, base_url=base)]
        )
    font_config = FontConfiguration()
    return HTML(string=html, base_url=base).write_pdf(
        stylesheets=[CSS(string=css_text, base_url=base, font_config=font_config)],
        font_config=font_config,
    )


def font_names(content: bytes) -> str:
    names = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return ", ".join(sorted(names))


def timed(label: str, count: int, render) -> float:
    render(0)  # warm up: the first render loads fonts and code
    start = time.perf_counter()
    pages = 0
    for number in range(count):
        data = render(number)
        pages += data.count(b"/Type /Page\n") or 1
    elapsed = time.perf_counter() - start
    rate = count / elapsed
    print(
        f"{label:<28} {count} letters in {elapsed:6.2f} s  = {rate:6.1f} letters/s "
        f"({1000 * elapsed / count:5.1f} ms a letter)"
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--letters", type=int, default=200)
    parser.add_argument("--cjk", action="store_true", help="names and words in CJK scripts")
    parser.add_argument(
        "--bare-system-fonts",
        action="store_true",
        help="bare path without a FontConfiguration (the @font-face rules ignored)",
    )
    args = parser.parse_args()
    count = args.letters
    css_text = (pdf.ASSETS_DIR / "letter.css").read_text() + "\n@page { size: letter; }\n"
    snapshots = [snapshot(n, cjk=args.cjk) for n in range(count)]
    htmls = [rendering.letter_html(rendering.render_snapshot(s)) for s in snapshots]
    print(
        f"{count} two-page letters (two officials each){' with CJK text' if args.cjk else ''}; "
        f"WeasyPrint options: {pdf.PDF_OPTIONS}"
    )

    def bare_one(n: int) -> bytes:
        return bare_render(htmls[n], css_text, system_fonts=args.bare_system_fonts)

    print(f"  fonts, bare: {font_names(bare_one(0))}")
    print(f"  fonts, app:  {font_names(app_render(snapshots[0]))}")
    bare = timed("bare WeasyPrint", count, bare_one)
    app = timed("app (rendering + pdf.py)", count, lambda n: app_render(snapshots[n]))
    print(f"ratio app/bare: {app / bare:.2f}")


if __name__ == "__main__":
    main()
