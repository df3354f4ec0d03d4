"""The interface in Spanish: the compose flow shows no English left from the catalogue."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.html import strip_tags

from campaign.congress import STATE_NAMES
from letters.models import Letter
from tests.letters.helpers import compose_data

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"


def catalogue() -> list[tuple[str, str]]:
    """(English, Spanish) pairs of the catalogue, joined from the .po file's quoted lines."""
    pairs, text = [], CATALOGUE.read_text(encoding="utf-8")
    for entry in text.split("\n\n"):
        msgid = "".join(re.findall(r'"(.*)"', entry.split("msgstr")[0].split("msgid_plural")[0]))
        msgstr = (
            "".join(re.findall(r'"(.*)"', entry.split("msgstr")[1])) if "msgstr" in entry else ""
        )
        if msgid:
            pairs.append((msgid.replace('\\"', '"'), msgstr))
    return pairs


def english_left(html: str) -> list[str]:
    text = " ".join(strip_tags(html).split())
    found = []
    for english, spanish in catalogue():
        plain = re.sub(r"<[^>]+>", "", english)
        if english == spanish or "%" in plain or "{" in plain or len(plain.split()) < 2:
            continue  # one-word entries and patterns can match data; full sentences cannot
        if english in STATE_NAMES.values():
            continue  # "West Virginia": a name, which data (a source's title) holds too
        if plain in text:
            found.append(plain)
    return found


@pytest.fixture
def spanish(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    return client


def test_every_catalogue_entry_is_translated():
    untranslated = [english for english, spanish in catalogue() if not spanish]
    assert untranslated == []
    assert len(catalogue()) > 300


def test_the_compose_flow_in_spanish_has_no_english_left(
    spanish, campaign, student, recommendations, officials
):
    compose_url = reverse("letters:compose", args=[campaign.slug])
    pages = {
        "home": spanish.get(reverse("letters:home")),
        "campaign": spanish.get(reverse("letters:campaign", args=[campaign.slug])),
        "compose": spanish.get(compose_url),
        "errors": spanish.post(compose_url, {"first_name": ""}),
    }
    spanish.post(
        compose_url, compose_data(student, recommendations[:1], officials, personal_paragraph="")
    )
    letter = Letter.objects.get()
    pages["preview"] = spanish.get(reverse("letters:detail", args=[letter.token]))
    pages["submitted"] = spanish.post(reverse("letters:submit", args=[letter.token]), follow=True)
    pages["delete"] = spanish.get(reverse("letters:delete", args=[letter.token]))
    for name, response in pages.items():
        html = response.content.decode()
        assert '<html lang="es"' in html, name
        assert english_left(html) == [], name
    assert "Escribe tu carta" in pages["compose"].content.decode()
    assert "Tu enlace privado" in pages["submitted"].content.decode()


def test_the_check_finds_english_when_the_language_is_english(client, campaign):
    assert english_left(
        client.get(reverse("letters:compose", args=[campaign.slug])).content.decode()
    )


def test_the_language_switcher_changes_the_language(client, campaign):
    response = client.post(reverse("set_language"), {"language": "es", "next": "/"}, follow=True)
    assert '<html lang="es"' in response.content.decode()
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
