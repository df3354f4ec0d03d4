"""Accounts by email, through a real Celery worker and read back from a real SMTP server
(issue #19): a new teacher's invitation makes their account and opens the campaign; password
reset mails known addresses only, with links from SITE_URL; an address change is confirmed by
link and the old address is told."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from coordinate import services
from tests.factories import UserFactory
from tests.integration.services import wait_for

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a long and unusual passphrase 42"
SITE = "http://testserver"


def body_of(received) -> str:
    return received.message.get_body(preferencelist=("plain",)).get_content()


def wait_for_mail(smtp, address: str, count: int = 1):
    def arrived() -> bool:
        """the email reached the SMTP server"""
        return len(smtp.handler.messages_to(address)) >= count

    wait_for(arrived, timeout=60)
    return smtp.handler.messages_to(address)


def without_csrf(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def link_in(body: str, path_start: str) -> str:
    (link,) = set(re.findall(re.escape(SITE + path_start) + r"\S+", body))
    return link.removeprefix(SITE)


def test_a_new_teacher_joins_from_the_invitation_email(
    start_worker, smtp, campaign, coordinator, other_coordinator
):
    start_worker()
    services.campaign_invite(
        campaign=campaign, email="new.teacher@school.example", invited_by=coordinator
    )
    (received,) = wait_for_mail(smtp, "new.teacher@school.example")
    body = body_of(received)
    assert campaign.title in body and "the link lets you create one" in body
    link = link_in(body, "/coordinate/invitation/")

    teacher = Client()
    assert "Create your account" in teacher.get(link).content.decode()
    response = teacher.post(
        link, {"name": "Noa Teacher", "password1": PASSWORD, "password2": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("coordinate:campaign", args=[campaign.slug])
    page = response.content.decode()
    assert campaign.title in page and "Welcome! You now coordinate" in page
    user = get_user_model().objects.get(email="new.teacher@school.example")
    assert campaign.coordinators.filter(pk=user.pk).exists()

    # The link does nothing a second time, and another signed-in user cannot use it.
    assert Client().get(link).status_code == 410
    someone = Client()
    someone.force_login(other_coordinator)
    assert someone.post(link).status_code == 410
    assert not campaign.coordinators.filter(pk=other_coordinator.pk).exists()


def test_password_reset_mails_known_addresses_with_site_url_links(start_worker, smtp, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example"]
    rosa = UserFactory(username="rosa", email="rosa@school.example")
    rosa.set_password(PASSWORD)
    rosa.save()
    start_worker()
    client = Client()
    unknown = client.post(
        reverse("password_reset"), {"email": "nobody@school.example"}, follow=True
    )
    known = client.post(
        reverse("password_reset"),
        {"email": "rosa@school.example"},
        HTTP_HOST="evil.example",
        follow=True,
    )
    # The same page, whoever asks (but for the form's random CSRF token).
    assert without_csrf(known.content) == without_csrf(unknown.content)
    (received,) = wait_for_mail(smtp, "rosa@school.example")
    body = body_of(received)
    assert "evil.example" not in body
    link = link_in(body, "/accounts/reset/")
    assert smtp.handler.messages_to("nobody@school.example") == []

    form_url = client.get(link)["Location"]
    new = "another long passphrase 77"
    client.post(form_url, {"new_password1": new, "new_password2": new})
    rosa.refresh_from_db()
    assert rosa.check_password(new)
    assert "This link cannot be used" in Client().get(link, follow=True).content.decode()


def test_an_address_change_is_confirmed_by_link_and_the_old_address_told(start_worker, smtp):
    rosa = UserFactory(username="rosa", email="rosa@school.example")
    rosa.set_password(PASSWORD)
    rosa.save()
    start_worker()
    client = Client()
    client.force_login(rosa)
    client.post(
        reverse("account_email"), {"new_email": "rosa.new@school.example", "password": PASSWORD}
    )
    (confirmation,) = wait_for_mail(smtp, "rosa.new@school.example")
    rosa.refresh_from_db()
    assert rosa.email == "rosa@school.example"
    link = link_in(body_of(confirmation), "/accounts/email/confirm/")
    client.post(link)
    rosa.refresh_from_db()
    assert rosa.email == "rosa.new@school.example"
    (notice,) = wait_for_mail(smtp, "rosa@school.example")
    assert "now uses the address rosa.new@school.example" in body_of(notice)
