"""CSV cells a spreadsheet opens safely.

A spreadsheet runs a cell that starts like a formula (`=`, `+`, `-`, `@`, or a tab or carriage
return before one): text typed by students or copied from a document must never run. Such a cell
is written with a leading apostrophe, which spreadsheets show as text; reading our own export back
takes the apostrophe off again.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unescape_cell(text: str) -> str:
    """The value `safe_cell` was given, from what it wrote."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text
