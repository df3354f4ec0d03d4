"""Build letters/assets/fonts/LetterCJKSerif-Regular.ttf, the CJK face of the letter PDFs.

    apt-get install fonts-noto-cjk            # Debian 12: 1:20220127+repack1-1
    .venv/bin/python scripts/build_cjk_font.py [--source PATH] [--output PATH]

The source is Noto Serif CJK SC Regular (face 2 of Debian's NotoSerifCJK-Regular.ttc, version
2.001, SIL Open Font License 1.1). It holds 65,535 glyphs in CFF outlines (26 MB for the five
regional faces); WeasyPrint embeds TrueType outlines much faster than CFF, and the letters need a
small part of it. So this script, with fontTools only:

1. keeps the characters listed in `characters()`: the Han characters of the national standards
   that cover everyday names and writing (GB 2312 levels 1 and 2, Big5 level 1, JIS X 0208 levels
   1 and 2, the hanja of KS X 1001), all 11,172 modern Hangul syllables, hiragana, katakana,
   bopomofo, CJK punctuation and full-width forms, and the space and no-break space (Pango draws
   a space in the font of the text around it). Everything else (the Latin, Greek and Cyrillic
   the other bundled fonts print, vertical forms, regional variants) is dropped;
2. keeps only the OpenType features a horizontal letter uses (kerning, proportional punctuation
   is not used: the default widths are kept);
3. converts the cubic CFF outlines to quadratic TrueType ones (fontTools.cu2qu, at most 1 unit of
   1,000 off) and drops the glyph names (post table format 3), as fontTools' otf2ttf does;
4. renames the family "Letter CJK Serif": the OFL asks a modified font (a subset is one) to be
   told apart from the original; the copyright and licence fields are kept as they are.

The output is the same for the same source and fontTools version (timestamps are fixed).
"""

import argparse
import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
SOURCE_FACE = "Noto Serif CJK SC"
OUTPUT = ROOT / "letters" / "assets" / "fonts" / "LetterCJKSerif-Regular.ttf"
FAMILY = "Letter CJK Serif"
POSTSCRIPT_NAME = "LetterCJKSerif-Regular"
#: Largest distance, in font units (1,000 to the em), between a cubic curve and its quadratic copy.
MAX_ERR = 1.0
#: 2020-01-01, so the file does not change from one build to the next.
FIXED_TIMESTAMP = 3660681600


def _decoded(codec: str, leads: range, trails) -> set[int]:
    """Code points of the double-byte characters `codec` decodes from these lead/trail bytes."""
    found = set()
    for lead in leads:
        for trail in trails:
            try:
                text = bytes([lead, trail]).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(text) == 1:
                found.add(ord(text))
    return found


EUC_TRAILS = range(0xA1, 0xFF)


def characters() -> set[int]:
    """Every code point the CJK face is to keep."""
    han = set()
    han |= _decoded("gb2312", range(0xB0, 0xF8), EUC_TRAILS)  # GB 2312 levels 1 and 2: 6,763
    han |= _decoded("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *EUC_TRAILS])  # level 1
    han |= _decoded("euc_jp", range(0xB0, 0xF5), EUC_TRAILS)  # JIS X 0208 levels 1 and 2: 6,355
    han |= _decoded("euc_kr", range(0xCA, 0xFE), EUC_TRAILS)  # KS X 1001 hanja: 4,888
    han = {c for c in han if 0x3400 <= c <= 0x9FFF or 0xF900 <= c <= 0xFAFF}
    kept = set(han)
    # Pango draws a space (and any character that is not a graphic one) in the font of the text
    # around it: a face without U+0020 would print the spaces between CJK words as empty boxes.
    kept |= {0x0020, 0x00A0}
    kept |= set(range(0xAC00, 0xD7A4))  # Hangul syllables
    kept |= set(range(0x3000, 0x3040))  # CJK symbols and punctuation
    kept |= set(range(0x3041, 0x30A0))  # hiragana
    kept |= set(range(0x30A0, 0x3100))  # katakana
    kept |= set(range(0x31F0, 0x3200))  # katakana phonetic extensions
    kept |= set(range(0x3105, 0x3130))  # bopomofo
    kept |= set(range(0x3131, 0x318F))  # Hangul compatibility jamo
    kept |= set(range(0xFF01, 0xFF61))  # full-width ASCII forms
    kept |= set(range(0xFF61, 0xFFA0))  # half-width katakana and punctuation
    kept |= set(range(0xFFE0, 0xFFEF))  # full-width signs (￥, ￡, ...)
    return kept


def _subset(font: TTFont, codepoints: set[int]) -> None:
    options = subset.Options()
    options.layout_features = ["kern", "ccmp"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_bounds = True
    options.drop_tables += ["VORG", "vhea", "vmtx", "DSIG"]
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)


def _to_truetype(font: TTFont) -> None:
    """Cubic CFF outlines to quadratic glyf ones (after fontTools' Snippets/otf2ttf.py)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        tt_pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(tt_pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = tt_pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
    ):
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    maxp.maxComponentElements = 0
    maxp.compile(font)
    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    font.sfntVersion = "\x00\x01\x00\x00"


def _rename(font: TTFont) -> None:
    names = font["name"]
    full = f"{FAMILY} Regular"
    for record in list(names.names):
        if record.nameID in (1, 16):
            names.setName(FAMILY, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID in (2, 17):
            names.setName(
                "Regular", record.nameID, record.platformID, record.platEncID, record.langID
            )
        elif record.nameID in (3, 4):
            names.setName(full, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 6:
            names.setName(
                POSTSCRIPT_NAME, record.nameID, record.platformID, record.platEncID, record.langID
            )
    font["head"].created = font["head"].modified = FIXED_TIMESTAMP


def build(source: Path, output: Path) -> None:
    font = TTFont(source, fontNumber=_face_number(source), lazy=False, recalcTimestamp=False)
    wanted = characters() & set(font.getBestCmap())
    _subset(font, wanted)
    _to_truetype(font)
    _rename(font)
    font["head"].checkSumAdjustment = 0
    output.parent.mkdir(parents=True, exist_ok=True)
    font.save(output, reorderTables=True)
    print(f"{output}: {len(wanted):,} characters, {output.stat().st_size:,} bytes")


def _face_number(source: Path) -> int:
    from fontTools.ttLib import TTCollection

    for number, face in enumerate(TTCollection(source, lazy=True).fonts):
        if face["name"].getDebugName(1) == SOURCE_FACE:
            return number
    sys.exit(f"{source} has no face named {SOURCE_FACE!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    if not args.source.exists():
        sys.exit(f"{args.source} not found: apt-get install fonts-noto-cjk")
    build(args.source, args.output)


if __name__ == "__main__":
    main()
