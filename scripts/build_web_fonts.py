"""Make the web fonts of the letter preview: WOFF2 subsets of the PDF's Noto Serif.

The PDF embeds the full TTF files (letters/assets/fonts; WeasyPrint is ten times slower with
WOFF2). Pages only need the letters of English and Spanish (and the rest of Latin-1 and Latin
Extended-A, for names), so a browser downloads about 40 KB instead of 1.15 MB. A character
outside the subset is drawn in the system serif. Run again after changing a font:

    .venv/bin/python scripts/build_web_fonts.py
"""

from pathlib import Path

from fontTools import subset

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "letters" / "assets" / "fonts"
TARGET = ROOT / "static" / "fonts"
FONTS = ["NotoSerif-Regular", "NotoSerif-Bold"]
#: Basic Latin, Latin-1, Latin Extended-A, general punctuation (dashes, quotes, ellipsis), €, ™.
UNICODES = "U+0020-007E,U+00A0-017F,U+2010-2027,U+2030-203A,U+20AC,U+2122"


def build() -> list[Path]:
    TARGET.mkdir(parents=True, exist_ok=True)
    made = []
    for name in FONTS:
        output = TARGET / f"{name}-subset.woff2"
        subset.main(
            [
                str(SOURCE / f"{name}.ttf"),
                f"--unicodes={UNICODES}",
                "--flavor=woff2",
                "--layout-features=kern,liga,clig,calt,ccmp,locl,mark,mkmk",
                "--no-hinting",
                "--desubroutinize",
                f"--output-file={output}",
            ]
        )
        made.append(output)
    return made


if __name__ == "__main__":
    for path in build():
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")
