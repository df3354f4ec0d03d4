"""Error pages in the site's layout, with its menu and a way back, in the reader's language."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from letters import views

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken_home(monkeypatch):
    def fail():
        raise RuntimeError("the database went away")

    monkeypatch.setattr(views.selectors, "campaigns_with_progress", fail)


def test_a_server_error_shows_the_branded_page(broken_home):
    client = Client(raise_request_exception=False)
    response = client.get(reverse("letters:home"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert 'class="navbar' in html  # the site's menu
    assert f'href="{reverse("letters:home")}"' in html  # a way back
    assert "the database went away" not in html


def test_the_server_error_page_is_in_the_readers_language(broken_home):
    client = Client(raise_request_exception=False)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "es"
    html = client.get(reverse("letters:home")).content.decode()
    assert '<html lang="es">' in html
    assert "Algo salió mal" in html


def test_the_server_error_page_renders_without_a_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html", {})
    assert "Something went wrong on our side" in html


def test_when_even_the_500_page_fails_a_plain_page_is_served(monkeypatch, rf):
    from config import errors

    def broken(*args, **kwargs):
        raise RuntimeError("templates are gone")

    monkeypatch.setattr(errors, "render_to_string", broken)
    response = errors.server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content


def test_a_page_that_does_not_exist_is_branded(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and 'class="navbar' in html


def test_a_form_sent_without_its_csrf_token_says_what_to_do(campaign):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("letters:compose", args=[campaign.slug]), {})
    assert response.status_code == 403
    html = response.content.decode()
    assert "The form could not be sent" in html and 'class="navbar' in html


def test_a_forbidden_page_is_branded(rf):
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    response = permission_denied(rf.get("/"), PermissionDenied())
    assert response.status_code == 403
    assert "You cannot open this page" in response.content.decode()


def test_a_bad_request_is_branded(rf):
    from django.views.defaults import bad_request

    response = bad_request(rf.get("/"), Exception())
    assert response.status_code == 400
    assert "This request could not be understood" in response.content.decode()
