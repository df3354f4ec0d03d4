"""The students' privacy page and docs/privacy.md come from one list (letters/privacy.py), and
that list names every field a letter keeps."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from letters import privacy
from letters.management.commands import privacy_doc
from letters.models import Letter

pytestmark = pytest.mark.django_db


def test_every_field_of_a_letter_is_listed():
    fields = {
        field.name
        for field in Letter._meta.get_fields()
        if getattr(field, "concrete", False) or field.many_to_many
    }
    # Reverse relations (deliveries, PDFs, bands) are rows of their own, listed under
    # "Related rows deleted with a letter".
    fields = {
        name for name in fields if not Letter._meta.get_field(name).auto_created or name == "id"
    }
    assert fields - privacy.listed_fields() == set(), "say in letters/privacy.py why it is kept"
    assert privacy.listed_fields() - fields == set(), "a field listed that letters do not have"


def test_docs_privacy_md_is_written_from_the_list(settings):
    path = settings.BASE_DIR / "docs" / "privacy.md"
    assert path.read_text(encoding="utf-8") == privacy_doc.render(), (
        "docs/privacy.md is stale: run `python manage.py privacy_doc`"
    )
    call_command("privacy_doc", "--check")


def test_the_privacy_page_shows_the_list_in_english_and_spanish(client):
    page = client.get(reverse("letters:privacy")).content.decode()
    assert "What we keep about you, and why" in page
    for kept in privacy.KEPT:
        assert str(kept.what).replace("'", "&#x27;") in page
    assert "365 days" in page
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    page = client.get(reverse("letters:privacy")).content.decode()
    assert '<html lang="es">' in page
    assert "Qué guardamos de ti, y por qué" in page
    assert "Tu nombre y apellido" in page


def test_the_footer_and_the_letter_form_link_to_the_privacy_page(client, campaign):
    privacy_url = reverse("letters:privacy")
    for url in (reverse("letters:home"), reverse("letters:compose", args=[campaign.slug])):
        page = client.get(url).content.decode()
        assert page.count(f'href="{privacy_url}"') >= (2 if "write" in url else 1), url
