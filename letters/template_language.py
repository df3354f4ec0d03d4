"""The restricted language of letter templates.

Administrators write letter templates, so the language is deliberately tiny and is parsed here,
never by Django's template engine: placeholders are looked up by their exact name in a dictionary
of plain strings, so no attribute access, no filters, no tags that load, include or debug. A
template is parsed once when it is saved (errors name the line and the reason) and again each
time it is rendered.

    Dear reader, I am {{ author.full_name }} from {{ author.city }}.

    {% for recommendation in recommendations %}
    {{ recommendation.text }}
    {% endfor %}

Paragraphs are separated by a blank line; single line breaks inside a paragraph are joined with a
space. The loop, each tag alone on its own line, becomes a numbered list of the recommendations
the student chose, in the student's order.

A placeholder's value may be `Marked` text: a string that knows which of its parts are in another
language than the letter (an English recommendation quoted in a Spanish letter). What it is
filled into keeps those parts marked, so the letter's HTML and PDF can say `lang="en"` there.
"""

import enum
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

#: Placeholders available everywhere, with what each becomes (shown to administrators).
PLACEHOLDERS: dict[str, str] = {
    "author.first_name": _("The student's first name"),
    "author.last_name": _("The student's last name"),
    "author.full_name": _("The student's first and last name"),
    "author.school": _("The student's school"),
    "author.city": _("The student's city or town"),
    "author.state": _("The student's state or region"),
    "author.grade": _("The student's grade (may be empty)"),
    "official.name": _("The official's name"),
    "official.office": _("The official's office, e.g. Secretary of State"),
    "official.salutation": _("How the letter greets the official, e.g. Dear Mr. President"),
    "date": _("The letter's date, e.g. November 23, 2026"),
    "campaign.title": _("The campaign's title"),
    "personal_paragraph": _("The student's own words (each line break starts a new paragraph)"),
}
#: Placeholders available only inside the recommendations loop.
LOOP_PLACEHOLDERS: dict[str, str] = {
    "recommendation.text": _("The recommendation, as quoted from its source"),
    "recommendation.number": _("Its number in the student's list: 1, 2, 3 ..."),
    "recommendation.source": _("Who published it and where, e.g. the campaign's document"),
}
LOOP_OPEN = "for recommendation in recommendations"
LOOP_CLOSE = "endfor"
#: The placeholder that expands into paragraphs when it stands alone in its paragraph.
PARAGRAPHS_PLACEHOLDER = "personal_paragraph"

_TOKEN = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}", re.DOTALL)
_OPENERS = ("{{", "{%")
_CLOSERS = ("}}", "%}")
MAX_TEMPLATE_LENGTH = 20_000

# --- Bounds ---------------------------------------------------------------------------------
# A template is bounded by what it can make, not only by its own length: twenty thousand
# characters of `{{ personal_paragraph }}` or of loops would make a letter of millions of
# characters, and its PDF would take the web process a minute. `validate` (on save, and before
# a preview) refuses a template with more than MAX_LOOPS loops, or whose longest letter could
# pass MAX_OUTPUT_CHARACTERS; the admin's preview also measures the sample it rendered and
# refuses one that passes it, before any PDF is made. (About 30,000 characters is ten pages and
# under a second of WeasyPrint; a real letter is about 3,000.)
MAX_LOOPS = 2
MAX_OUTPUT_CHARACTERS = 30_000
#: The longest each placeholder can be: the limits of the letter form and of the models.
PLACEHOLDER_MAX_LENGTHS: dict[str, int] = {
    "author.first_name": 80,
    "author.last_name": 80,
    "author.full_name": 161,
    "author.school": 120,
    "author.city": 80,
    "author.state": 80,
    "author.grade": 20,
    "official.name": 200,
    "official.office": 200,
    "official.salutation": 200,
    "date": 40,
    "campaign.title": 200,
    "personal_paragraph": 2000,
    # Recommendations have no set length: a loop is counted as LOOP_ITEMS items this long.
    "recommendation.text": 600,
    "recommendation.number": 3,
    "recommendation.source": 700,
}
#: A placeholder added without a length above counts as this long.
DEFAULT_PLACEHOLDER_LENGTH = 200
LOOP_ITEMS = 12


Run = tuple[str, str]  # (text, language); "" is the letter's own language


class Marked(str):
    """A string made of runs of text, each in the letter's language ("") or in another one.

    It is a `str` (its text) wherever plain text is wanted: the letter's text, an email, a
    search. `runs` keeps the parts: neighbours in one language are merged, empty ones dropped.
    Methods of `str` return plain strings: only this module's functions keep the runs.
    """

    runs: tuple[Run, ...]

    def __new__(cls, runs) -> "Marked":
        merged: list[Run] = []
        for text, language in runs:
            if not text:
                continue
            if merged and merged[-1][1] == language:
                merged[-1] = (merged[-1][0] + text, language)
            else:
                merged.append((text, language))
        marked = super().__new__(cls, "".join(text for text, _language in merged))
        marked.runs = tuple(merged)
        return marked

    @property
    def is_marked(self) -> bool:
        return any(language for _text, language in self.runs)


def in_language(text: str, language: str) -> str:
    """`text` marked as written in `language` ("": the letter's own)."""
    return Marked([(text, language)]) if text and language else text


def runs_of(text: str) -> tuple[Run, ...]:
    return text.runs if isinstance(text, Marked) else ((text, ""),) if text else ()


def join(pieces, separator: str = "") -> str:
    """`separator.join(pieces)`, keeping the marks of marked pieces."""
    runs: list[Run] = []
    for index, piece in enumerate(pieces):
        if index and separator:
            runs.append((separator, ""))
        runs.extend(runs_of(piece))
    marked = Marked(runs)
    return marked if marked.is_marked else str(marked)


class TemplateSyntaxError(ValueError):
    """A template the language does not accept. `line` counts from 1."""

    def __init__(self, line: int, reason: str):
        self.line = line
        self.reason = reason
        super().__init__(f"Line {line}: {reason}")


@dataclass(frozen=True)
class Placeholder:
    name: str


Segment = str | Placeholder


@dataclass
class Paragraph:
    segments: list[Segment] = field(default_factory=list)


@dataclass
class RecommendationLoop:
    item: list[Segment] = field(default_factory=list)


Node = Paragraph | RecommendationLoop


class BlockKind(enum.StrEnum):
    PARAGRAPH = "paragraph"
    LIST = "list"  # the chosen recommendations, numbered


@dataclass(frozen=True)
class Block:
    """A rendered block of a letter: a paragraph or a numbered list, as plain text."""

    kind: BlockKind
    text: str = ""
    items: tuple[str, ...] = ()


def parse(source: str) -> list[Node]:
    """Parse a template into nodes, or raise TemplateSyntaxError naming the line."""
    if len(source) > MAX_TEMPLATE_LENGTH:
        raise TemplateSyntaxError(
            1, f"the template is longer than {MAX_TEMPLATE_LENGTH} characters"
        )
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    nodes: list[Node] = []
    paragraph_lines: list[list[Segment]] = []
    loop: RecommendationLoop | None = None
    loop_line = 0

    def close_paragraph() -> None:
        if paragraph_lines:
            segments: list[Segment] = []
            for index, line_segments in enumerate(paragraph_lines):
                if index:
                    segments.append(" ")
                segments.extend(line_segments)
            nodes.append(Paragraph(segments))
            paragraph_lines.clear()

    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        tag = _standalone_tag(stripped)
        if tag is not None:
            if tag == LOOP_OPEN:
                if loop is not None:
                    raise TemplateSyntaxError(number, "loops cannot be nested")
                close_paragraph()
                loop, loop_line = RecommendationLoop(), number
            elif tag == LOOP_CLOSE:
                if loop is None:
                    raise TemplateSyntaxError(number, "{% endfor %} without a {% for %} before it")
                if not loop.item:
                    raise TemplateSyntaxError(number, "the loop is empty: put a line inside it")
                nodes.append(loop)
                loop = None
            else:
                raise TemplateSyntaxError(number, _unknown_tag(tag))
            continue
        segments = _parse_line(line, number, in_loop=loop is not None)
        if loop is not None:
            if loop.item and segments:
                loop.item.append(" ")
            loop.item.extend(segments)
        elif stripped:
            paragraph_lines.append(segments)
        else:
            close_paragraph()
    if loop is not None:
        raise TemplateSyntaxError(loop_line, "this {% for %} has no {% endfor %}")
    close_paragraph()
    return nodes


def validate(source: str) -> None:
    """Raise TemplateSyntaxError if `source` is not a valid template, or could make a letter
    larger than the bounds allow (too many loops, too many characters at the longest)."""
    parse(source)
    check_bounds(source)


def check_bounds(source: str) -> None:
    """The bounds, for a template that parses: the line where the template passes one is named.

    Kept apart from `parse`, which also renders letters already written: a template saved before
    a bound was lowered still renders; it is refused only when it is saved (or previewed) again.
    """
    loops = 0
    longest = 0
    in_loop = False
    for number, line in enumerate(source.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        tag = _standalone_tag(line.strip())
        if tag == LOOP_OPEN:
            loops += 1
            in_loop = True
            if loops > MAX_LOOPS:
                raise TemplateSyntaxError(
                    number,
                    f"a template may list the recommendations at most {MAX_LOOPS} times "
                    f"(this is loop {loops})",
                )
            continue
        if tag == LOOP_CLOSE:
            in_loop = False
            continue
        literal = _TOKEN.sub("", line)
        placeholders = sum(
            PLACEHOLDER_MAX_LENGTHS.get(match.group(1).strip(), DEFAULT_PLACEHOLDER_LENGTH)
            for match in _TOKEN.finditer(line)
            if match.group(1) is not None
        )
        longest += (len(literal) + placeholders) * (LOOP_ITEMS if in_loop else 1)
        if longest > MAX_OUTPUT_CHARACTERS:
            raise TemplateSyntaxError(
                number,
                f"at the longest (every placeholder filled to its limit, {LOOP_ITEMS} "
                f"recommendations in each loop), the letter would pass {MAX_OUTPUT_CHARACTERS:,} "
                "characters here: use the personal paragraph and the loops fewer times",
            )


def output_length(blocks: Sequence[Block]) -> int:
    """The characters rendered blocks hold (what the bounds count)."""
    return sum(len(block.text) + sum(len(item) for item in block.items) for block in blocks)


def render(
    nodes: Sequence[Node],
    context: Mapping[str, str],
    recommendations: Sequence[Mapping[str, str]],
) -> list[Block]:
    """Fill the nodes with plain strings; the result is plain text, escaped later for HTML."""
    blocks: list[Block] = []
    for node in nodes:
        if isinstance(node, RecommendationLoop):
            items = tuple(
                _collapse(_fill(node.item, {**context, **item})) for item in recommendations
            )
            items = tuple(item for item in items if item)
            if items:
                blocks.append(Block(BlockKind.LIST, items=items))
            continue
        if _is_alone(node, PARAGRAPHS_PLACEHOLDER):
            for paragraph in _split_paragraphs(context.get(PARAGRAPHS_PLACEHOLDER, "")):
                blocks.append(Block(BlockKind.PARAGRAPH, text=paragraph))
            continue
        text = _collapse(_fill(node.segments, context))
        if text:
            blocks.append(Block(BlockKind.PARAGRAPH, text=text))
    return blocks


def render_inline(source: str, context: Mapping[str, str]) -> str:
    """Render a one-line template (a subject line) to plain text."""
    nodes = parse(source)
    lines = [_collapse(_fill(node.segments, context)) for node in nodes]
    return join([line for line in lines if line], " ")


def _standalone_tag(stripped_line: str) -> str | None:
    match = re.fullmatch(r"\{%(.*?)%\}", stripped_line, re.DOTALL)
    return " ".join(match.group(1).split()) if match else None


def _unknown_tag(tag: str) -> str:
    shown = tag if len(tag) <= 60 else tag[:57] + "..."
    return (
        f"unknown tag “{{% {shown} %}}”. The only tags are "
        f"{{% {LOOP_OPEN} %}} and {{% {LOOP_CLOSE} %}}, each alone on its own line"
    )


def _parse_line(line: str, number: int, *, in_loop: bool) -> list[Segment]:
    allowed = {**PLACEHOLDERS, **LOOP_PLACEHOLDERS} if in_loop else PLACEHOLDERS
    segments: list[Segment] = []
    position = 0
    for match in _TOKEN.finditer(line):
        _check_text(line[position : match.start()], number)
        if match.start() > position:
            segments.append(line[position : match.start()])
        if match.group(2) is not None:
            tag = " ".join(match.group(2).split())
            if tag in (LOOP_OPEN, LOOP_CLOSE):
                raise TemplateSyntaxError(number, f"{{% {tag} %}} must stand alone on its own line")
            raise TemplateSyntaxError(number, _unknown_tag(tag))
        name = match.group(1).strip()
        if name not in allowed:
            raise TemplateSyntaxError(number, _unknown_placeholder(name))
        segments.append(Placeholder(name))
        position = match.end()
    _check_text(line[position:], number)
    if position < len(line):
        segments.append(line[position:])
    return segments


def _check_text(text: str, number: int) -> None:
    for opener in _OPENERS:
        if opener in text:
            raise TemplateSyntaxError(number, f"“{opener}” is opened but never closed on this line")
    for closer in _CLOSERS:
        if closer in text:
            raise TemplateSyntaxError(number, f"“{closer}” closes nothing on this line")


def _unknown_placeholder(name: str) -> str:
    shown = name if len(name) <= 60 else name[:57] + "..."
    if name in LOOP_PLACEHOLDERS:
        return f"“{{{{ {shown} }}}}” can only be used inside the recommendations loop"
    if "|" in name:
        return f"filters are not allowed: “{{{{ {shown} }}}}”"
    return f"unknown placeholder “{{{{ {shown} }}}}”. See the list of placeholders"


def _fill(segments: Sequence[Segment], context: Mapping[str, str]) -> str:
    return join(
        context.get(segment.name, "") if isinstance(segment, Placeholder) else segment
        for segment in segments
    )


def _collapse(text: str) -> str:
    """Join the lines of a paragraph: any run of white space becomes one space."""
    if not isinstance(text, Marked):
        return " ".join(text.split())
    runs: list[Run] = []
    ends_in_space = True  # at the start, as after a space: leading white space goes
    for part, language in text.runs:
        words = part.split()
        if not words:
            if not ends_in_space:
                runs.append((" ", ""))
                ends_in_space = True
            continue
        lead = " " if part[0].isspace() and not ends_in_space else ""
        tail = " " if part[-1].isspace() else ""
        if lead:
            runs.append((lead, ""))
        runs.append((" ".join(words), language))
        if tail:
            runs.append((tail, ""))
        ends_in_space = bool(tail)
    while runs and runs[-1][0] == " ":
        runs.pop()
    return join([Marked(runs)])


def _is_alone(node: Paragraph, name: str) -> bool:
    meaningful = [s for s in node.segments if not (isinstance(s, str) and not s.strip())]
    return len(meaningful) == 1 and meaningful[0] == Placeholder(name)


def _split_paragraphs(text: str) -> list[str]:
    return [_collapse(line) for line in text.splitlines() if line.strip()]
