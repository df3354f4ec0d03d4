import re

import pytest

from letters import template_language as tl

HOSTILE_TEMPLATES = [
    "{{ messages.storages.0.signer.key }}",
    "{% load log %}",
    '{% include "admin/base.html" %}',
    "{% debug %}",
    "{{ author.__class__ }}",
    "{{ settings.SECRET_KEY }}",
    "{{ date|safe }}",
    "{% for x in recommendations %}\n{{ x }}\n{% endfor %}",
]


def render(source: str, **context) -> list[tl.Block]:
    return tl.render(tl.parse(source), context, [])


@pytest.mark.parametrize("source", HOSTILE_TEMPLATES)
def test_hostile_template_is_refused_with_line_and_reason(source):
    with pytest.raises(tl.TemplateSyntaxError) as caught:
        tl.validate("Dear reader,\n\n" + source)
    assert caught.value.line == 3
    assert str(caught.value).startswith("Line 3: ")


@pytest.mark.parametrize(
    "source", ["{name.__class__}", "{name:>99999}", "{0}", "%(name)s", "{#x#}"]
)
def test_python_format_syntax_is_plain_text(source):
    assert render(source) == [tl.Block("paragraph", text=source)]


def test_unknown_placeholder_names_the_placeholder():
    with pytest.raises(
        tl.TemplateSyntaxError, match=re.escape("unknown placeholder “{{ author.age }}”")
    ):
        tl.validate("{{ author.age }}")


def test_unclosed_loop_points_at_its_opening_line():
    with pytest.raises(tl.TemplateSyntaxError) as caught:
        tl.validate("One\n\n{% for recommendation in recommendations %}\n{{ recommendation.text }}")
    assert caught.value.line == 3
    assert "no {% endfor %}" in caught.value.reason


def test_loop_tag_inside_a_line_is_refused():
    with pytest.raises(tl.TemplateSyntaxError, match="must stand alone"):
        tl.validate("Ask: {% for recommendation in recommendations %}")


def test_loop_placeholder_outside_the_loop_is_refused():
    with pytest.raises(tl.TemplateSyntaxError, match="only be used inside"):
        tl.validate("{{ recommendation.text }}")


def test_half_open_braces_are_refused():
    with pytest.raises(tl.TemplateSyntaxError, match="never closed"):
        tl.validate("Hello {{ author.first_name")


def test_placeholders_take_values_as_plain_text_never_as_template():
    blocks = render(
        "Hello {{ author.first_name }}.",
        **{"author.first_name": "{{ settings.SECRET_KEY }} {% debug %} <b>"},
    )
    assert blocks == [
        tl.Block("paragraph", text="Hello {{ settings.SECRET_KEY }} {% debug %} <b>.")
    ]


def test_paragraph_lines_are_joined_and_blank_lines_split():
    blocks = render("One\ntwo\n\nThree")
    assert [b.text for b in blocks] == ["One two", "Three"]


def test_loop_renders_one_item_per_recommendation_in_order():
    nodes = tl.parse(
        "I ask:\n{% for recommendation in recommendations %}\n"
        "{{ recommendation.number }}) {{ recommendation.text }}\n{% endfor %}"
    )
    items = [
        {"recommendation.text": "Second", "recommendation.number": "1"},
        {"recommendation.text": "First", "recommendation.number": "2"},
    ]
    blocks = tl.render(nodes, {}, items)
    assert blocks == [
        tl.Block("paragraph", text="I ask:"),
        tl.Block("list", items=("1) Second", "2) First")),
    ]


def test_loop_with_no_recommendations_leaves_no_empty_list():
    nodes = tl.parse(
        "{% for recommendation in recommendations %}\n{{ recommendation.text }}\n{% endfor %}"
    )
    assert tl.render(nodes, {}, []) == []


def test_personal_paragraph_alone_becomes_one_paragraph_per_line():
    blocks = render("{{ personal_paragraph }}", personal_paragraph="First.\n\nSecond.\nThird.")
    assert [b.text for b in blocks] == ["First.", "Second.", "Third."]


def test_empty_personal_paragraph_leaves_no_empty_paragraph():
    assert render("A\n\n{{ personal_paragraph }}\n\nB", personal_paragraph="") == [
        tl.Block("paragraph", text="A"),
        tl.Block("paragraph", text="B"),
    ]


def test_very_long_template_is_refused():
    with pytest.raises(tl.TemplateSyntaxError, match="longer than"):
        tl.validate("x" * (tl.MAX_TEMPLATE_LENGTH + 1))
