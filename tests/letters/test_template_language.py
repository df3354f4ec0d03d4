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


# --- Bounds (issue #12): what a template can make, not only its own length ----------------------


def test_every_placeholder_has_a_longest_length_and_the_form_limits_match():
    from letters.models import PERSONAL_PARAGRAPH_MAX_LENGTH, Letter

    assert set(tl.PLACEHOLDERS) | set(tl.LOOP_PLACEHOLDERS) == set(tl.PLACEHOLDER_MAX_LENGTHS)
    assert tl.PLACEHOLDER_MAX_LENGTHS["personal_paragraph"] == PERSONAL_PARAGRAPH_MAX_LENGTH
    for name in ("first_name", "last_name", "school", "city", "state", "grade"):
        limit = Letter._meta.get_field(name).max_length
        assert tl.PLACEHOLDER_MAX_LENGTHS[f"author.{name}"] == limit, name


LOOP = "{% for recommendation in recommendations %}\n{{ recommendation.text }}\n{% endfor %}"


def test_more_loops_than_the_bound_are_refused_at_the_extra_loop():
    source = "\n\n".join([LOOP] * tl.MAX_LOOPS)
    tl.validate(source)
    with pytest.raises(tl.TemplateSyntaxError) as caught:
        tl.validate(source + "\n\n" + LOOP)
    assert caught.value.line == 4 * tl.MAX_LOOPS + 1
    assert "at most 2 times" in caught.value.reason


def test_a_template_that_could_make_a_huge_letter_is_refused_where_it_passes_the_bound():
    """Well under the length limit, yet each line can become 2,000 characters."""
    lines = ["{{ personal_paragraph }}"] * 40
    source = "\n\n".join(lines)
    assert len(source) < tl.MAX_TEMPLATE_LENGTH
    with pytest.raises(tl.TemplateSyntaxError) as caught:
        tl.validate(source)
    assert caught.value.line == 31  # the 16th paragraph: 16 x 2,000 passes 30,000
    assert "would pass 30,000 characters" in caught.value.reason
    # The words of a loop count once per recommendation.
    long_loop = "{% for recommendation in recommendations %}\n" + "x" * 2600 + "\n{% endfor %}"
    with pytest.raises(tl.TemplateSyntaxError):
        tl.validate(long_loop)


def test_a_template_saved_before_the_bounds_still_renders():
    source = "\n\n".join(["{{ personal_paragraph }}"] * 40)
    blocks = tl.render(tl.parse(source), {"personal_paragraph": "Mine."}, [])
    assert len(blocks) == 40


def test_the_seed_templates_are_well_inside_the_bounds():
    import json
    from pathlib import Path

    seed = json.loads((Path(__file__).resolve().parents[2] / "fixtures/seed.json").read_text())
    for campaign in seed["campaigns"]:
        for template in campaign["templates"]:
            for part in ("subject", "greeting", "body"):
                tl.validate(template.get(part) or "")
