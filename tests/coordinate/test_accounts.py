"""Coordinators look after their own accounts (issue #19): an invitation makes an account, the
log-in page says which invitation waits, password reset, address changes, logging out
everywhere, deleting an account, and teachers asking to coordinate."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from campaign.models import Campaign, CampaignInvitation
from coordinate import accounts, services
from coordinate.models import Account, CoordinatorRequest
from coordinate.permissions import ACCOUNT_URLS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Queued emails are sent (tasks run eagerly) once the transaction commits."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def text(response) -> str:
    return response.content.decode()


def link_in(message, path_start: str) -> str:
    (link,) = set(
        re.findall(r"https?://[^\s\"<]+" + re.escape(path_start) + r"[^\s\"<]*", message.body)
    )
    return link


def invite(campaign, coordinator, email="new.teacher@school.example", language="en"):
    return services.campaign_invite(
        campaign=campaign, email=email, invited_by=coordinator, language=language
    )


# --- An invitation is enough to start ----------------------------------------------------------


def test_an_invitation_to_a_new_address_makes_the_account(client, campaign, coordinator):
    invitation = invite(campaign, coordinator)
    url = reverse("coordinate:invitation", args=[invitation.token])
    page = text(client.get(url))
    assert "Create your account" in page and "new.teacher@school.example" in page
    assert campaign.title in page

    response = client.post(
        url, {"name": "Noa Teacher", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response["Location"] == reverse("coordinate:campaign", args=[campaign.slug])
    user = User.objects.get(email="new.teacher@school.example")
    assert user.get_full_name() == "Noa Teacher"
    assert user.account.email_verified_at is not None  # the link reached the address
    assert campaign.coordinators.filter(pk=user.pk).exists()
    dashboard = text(client.get(response["Location"]))
    assert campaign.title in dashboard and "Welcome! You now coordinate" in dashboard

    # The link is spent: it does nothing a second time, for anyone.
    client.logout()
    assert client.get(url).status_code == 410
    again = client.post(url, {"name": "X", "password1": PASSWORD, "password2": PASSWORD})
    assert again.status_code == 410
    assert User.objects.filter(email="new.teacher@school.example").count() == 1


def test_the_new_account_logs_in_with_its_address(client, campaign, coordinator):
    invitation = invite(campaign, coordinator)
    client.post(
        reverse("coordinate:invitation", args=[invitation.token]),
        {"name": "Noa", "password1": PASSWORD, "password2": PASSWORD},
    )
    other = Client()
    response = other.post(
        reverse("login"), {"username": "new.teacher@school.example", "password": PASSWORD}
    )
    assert response["Location"] == reverse("coordinate:dashboard")


def test_an_older_account_logs_in_with_its_address_too(client, rosa):
    response = client.post(
        reverse("login"), {"username": "Rosa@School.example", "password": PASSWORD}
    )
    assert response["Location"] == reverse("coordinate:dashboard")


def test_a_weak_password_is_refused_with_djangos_reasons(client, campaign, coordinator):
    invitation = invite(campaign, coordinator)
    url = reverse("coordinate:invitation", args=[invitation.token])
    response = client.post(url, {"name": "Noa", "password1": "12345678", "password2": "12345678"})
    assert response.status_code == 400
    page = text(response)
    assert "This password is too common." in page
    assert "This password is entirely numeric." in page
    assert not User.objects.filter(email="new.teacher@school.example").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_invitation_to_an_account_asks_it_to_log_in(client, campaign, coordinator):
    invited = UserFactory(username="rosa", email="rosa@school.example")
    invited.set_password(PASSWORD)
    invited.save()
    invitation = invite(campaign, coordinator, email="Rosa@School.example")
    url = reverse("coordinate:invitation", args=[invitation.token])

    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    login_page = text(client.get(response["Location"]))
    assert f"An invitation to coordinate “{campaign.title}” is waiting." in login_page
    assert (
        not client.post(url, {"name": "x", "password1": PASSWORD, "password2": PASSWORD})
        .get("Location", "")
        .startswith(reverse("coordinate:campaign", args=[campaign.slug]))
    )
    assert User.objects.filter(email__iexact="rosa@school.example").count() == 1

    logged_in = client.post(
        reverse("login"), {"username": "rosa", "password": PASSWORD, "next": url}
    )
    assert logged_in["Location"] == url
    assert client.post(url)["Location"] == reverse("coordinate:campaign", args=[campaign.slug])
    assert campaign.coordinators.filter(pk=invited.pk).exists()


def test_another_signed_in_user_cannot_accept(client, campaign, coordinator, other_coordinator):
    invitation = invite(campaign, coordinator)
    client.force_login(other_coordinator)
    url = reverse("coordinate:invitation", args=[invitation.token])
    assert client.get(url).status_code == 403
    response = client.post(url, {"name": "x", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 403
    assert not campaign.coordinators.filter(pk=other_coordinator.pk).exists()
    assert not User.objects.filter(email="new.teacher@school.example").exists()


def test_the_login_page_says_nothing_of_an_unusable_invitation(client, campaign, coordinator):
    url = reverse("coordinate:invitation", args=["n0-such-invitation-xxxxxxxxxxxxxxx"])
    page = text(client.get(reverse("login"), {"next": url}))
    assert "is waiting" not in page and "Forgot your password?" in page


def test_the_invitation_email_is_in_the_language_it_was_sent_in(
    client, campaign, coordinator, on_commit
):
    with on_commit():
        invite(campaign, coordinator, language="es")
    (message,) = mail.outbox
    assert "Hola" in message.body and "Todavía no tienes cuenta" in message.body


# --- Password reset ----------------------------------------------------------------------------


@pytest.fixture
def rosa(db):
    user = UserFactory(username="rosa", email="rosa@school.example")
    user.set_password(PASSWORD)
    user.save()
    return user


def test_password_reset_answers_alike_and_mails_only_known_addresses(
    client, rosa, settings, on_commit
):
    settings.SITE_URL = "https://letters.example.org"
    with on_commit():
        known = client.post(reverse("password_reset"), {"email": "ROSA@school.example"})
    assert len(mail.outbox) == 1
    with on_commit():
        unknown = client.post(reverse("password_reset"), {"email": "nobody@school.example"})
    assert len(mail.outbox) == 1  # nothing for an unknown address
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    page = text(client.get(known["Location"]))
    assert "If an account uses this address, a link to choose a new password is on its way." in page

    (message,) = mail.outbox
    assert message.to == ["rosa@school.example"]
    assert link_in(message, "/accounts/reset/").startswith("https://letters.example.org/")


def test_the_reset_link_ignores_the_requests_host(client, rosa, settings, on_commit):
    settings.SITE_URL = "https://letters.example.org"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example"]
    with on_commit():
        client.post(
            reverse("password_reset"), {"email": "rosa@school.example"}, HTTP_HOST="evil.example"
        )
    (message,) = mail.outbox
    assert "evil.example" not in message.body and "evil.example" not in str(message.alternatives)
    assert link_in(message, "/accounts/reset/").startswith("https://letters.example.org/")


def test_the_reset_link_works_once(client, rosa, on_commit):
    with on_commit():
        client.post(reverse("password_reset"), {"email": "rosa@school.example"})
    link = link_in(mail.outbox[0], "/accounts/reset/").removeprefix("http://testserver")
    form_url = client.get(link)["Location"]
    assert "Choose a new password" in text(client.get(form_url))
    new = "another long passphrase 77"
    done = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert done["Location"] == reverse("password_reset_complete")
    rosa.refresh_from_db()
    assert rosa.check_password(new)

    other = Client()
    page = other.get(link, follow=True)
    assert "This link cannot be used" in text(page)


def test_password_resets_are_limited_per_address_and_per_account(client, rosa, settings, on_commit):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset": 2}
    for _attempt in range(4):
        with on_commit():
            response = client.post(reverse("password_reset"), {"email": "rosa@school.example"})
        assert response["Location"] == reverse("password_reset_done")  # the same answer
    assert len(mail.outbox) == 2
    # Per account too: another spelling of the address reaches the same account.
    mail.outbox.clear()
    with on_commit():
        client.post(reverse("password_reset"), {"email": "Rosa@School.Example"})
    assert mail.outbox == []


def test_a_spanish_account_gets_its_reset_email_in_spanish(client, rosa, on_commit):
    Account.objects.create(user=rosa, language="es")
    with on_commit():
        client.post(reverse("password_reset"), {"email": "rosa@school.example"})
    (message,) = mail.outbox
    assert "contraseña" in message.subject.lower() and "Hola" in message.body


# --- The account page: address, password, sessions, deleting -------------------------------------


def test_an_address_change_waits_for_the_link_and_tells_the_old_address(client, rosa, on_commit):
    client.force_login(rosa)
    with on_commit():
        response = client.post(
            reverse("account_email"), {"new_email": "rosa.new@school.example", "password": PASSWORD}
        )
    assert response["Location"] == reverse("account")
    assert "We sent a link to rosa.new@school.example" in text(client.get(response["Location"]))
    rosa.refresh_from_db()
    assert rosa.email == "rosa@school.example"  # not yet
    (confirmation,) = mail.outbox
    assert confirmation.to == ["rosa.new@school.example"]
    link = link_in(confirmation, "/accounts/email/confirm/").removeprefix("http://testserver")

    assert "rosa.new@school.example" in text(client.get(link))
    rosa.refresh_from_db()
    assert rosa.email == "rosa@school.example"  # opening the link shows, the button confirms
    with on_commit():
        client.post(link)
    rosa.refresh_from_db()
    assert rosa.email == "rosa.new@school.example"
    notice = mail.outbox[-1]
    assert notice.to == ["rosa@school.example"]
    assert "now uses the address rosa.new@school.example" in notice.body
    assert client.post(link).status_code == 410  # once


def test_an_address_change_needs_the_password_and_a_free_address(client, rosa, other_coordinator):
    client.force_login(rosa)
    wrong = client.post(
        reverse("account_email"), {"new_email": "x@school.example", "password": "wrong"}
    )
    assert "That is not your current password." in text(wrong)
    taken = client.post(
        reverse("account_email"), {"new_email": other_coordinator.email, "password": PASSWORD}
    )
    assert "Another account uses this address." in text(taken)
    assert mail.outbox == []


def test_the_password_changes_on_the_account_page(client, rosa):
    client.force_login(rosa)
    new = "another long passphrase 77"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )
    assert "Your password is changed." in text(response)
    rosa.refresh_from_db()
    assert rosa.check_password(new)


def test_logging_out_everywhere(rosa):
    here, elsewhere = Client(), Client()
    here.force_login(rosa)
    elsewhere.force_login(rosa)
    assert elsewhere.get(reverse("coordinate:dashboard")).status_code == 200
    response = here.post(reverse("account_sessions_end"), follow=True)
    assert "You are signed out everywhere, here too." in text(response)
    assert elsewhere.get(reverse("coordinate:dashboard")).status_code == 302
    assert here.get(reverse("coordinate:dashboard")).status_code == 302


def test_the_last_coordinator_of_an_open_campaign_cannot_delete_the_account(
    client, campaign, coordinator
):
    coordinator.set_password(PASSWORD)
    coordinator.save()
    client.force_login(coordinator)
    page = text(client.get(reverse("account_delete")))
    assert f"You are the last coordinator of the open campaign “{campaign.title}”" in page
    response = client.post(reverse("account_delete"), {"password": PASSWORD})
    assert response.status_code == 409
    assert User.objects.filter(pk=coordinator.pk).exists()


def test_an_account_is_deleted_with_its_password(client, campaign, coordinator, rosa):
    campaign.coordinators.add(rosa)
    client.force_login(rosa)
    refused = client.post(reverse("account_delete"), {"password": "wrong"})
    assert "That is not your current password." in text(refused)
    response = client.post(reverse("account_delete"), {"password": PASSWORD}, follow=True)
    assert "Your account is deleted." in text(response)
    assert not User.objects.filter(pk=rosa.pk).exists()
    assert list(campaign.coordinators.all()) == [coordinator]


def test_a_deleted_accounts_teams_pass_to_another_coordinator(client, campaign, coordinator, rosa):
    from tests.factories import TeamFactory

    campaign.coordinators.add(rosa)
    team = TeamFactory(campaign=campaign, coordinator=rosa, name="Room 4")
    client.force_login(rosa)
    client.post(reverse("account_delete"), {"password": PASSWORD})
    team.refresh_from_db()
    assert team.coordinator == coordinator


def test_a_closed_campaign_does_not_hold_the_account(client, campaign, coordinator):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
    assert accounts.account_delete_blockers(user=coordinator) == []


def test_the_language_of_the_emails_is_chosen_on_the_account_page(client, rosa):
    client.force_login(rosa)
    client.post(reverse("account"), {"name": "Rosa Díaz", "language": "es"})
    assert accounts.account_language(rosa) == "es"
    rosa.refresh_from_db()
    assert rosa.get_full_name() == "Rosa Díaz"


# --- Teachers ask to coordinate -----------------------------------------------------------------

REQUEST = {
    "name": "Mara Ortiz",
    "school": "Lincoln Middle School",
    "email": "mara@lincoln.example",
    "reason": "My 8th grade civics class wants to write about landmines.",
    "website": "",
}


def test_a_teacher_asks_and_an_approval_makes_the_account(client, administrator, on_commit):
    response = client.post(reverse("coordinator_request"), REQUEST)
    assert response["Location"] == reverse("coordinator_request_sent")
    assert "your request is sent" in text(client.get(response["Location"]))
    found = CoordinatorRequest.objects.get()
    assert found.status == CoordinatorRequest.Status.PENDING

    admin = Client()
    admin.force_login(administrator)
    with on_commit():
        admin.post(
            reverse("admin:coordinate_coordinatorrequest_changelist"),
            {"action": "approve", "_selected_action": [found.pk]},
        )
    found.refresh_from_db()
    assert found.status == CoordinatorRequest.Status.APPROVED
    (message,) = mail.outbox
    assert message.to == ["mara@lincoln.example"]
    link = link_in(message, "/accounts/join/").removeprefix("http://testserver")

    created = client.post(
        link, {"name": "Mara Ortiz", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert created["Location"] == reverse("coordinate:new")
    assert User.objects.filter(email="mara@lincoln.example").exists()
    client.logout()
    assert client.get(link).status_code == 410


def test_an_approval_with_a_campaign_invites_to_it(client, administrator, campaign, on_commit):
    client.post(reverse("coordinator_request"), REQUEST)
    found = CoordinatorRequest.objects.get()
    found.campaign = campaign
    found.save()
    with on_commit():
        accounts.coordinator_request_approve(request=found, decided_by=administrator)
    invitation = CampaignInvitation.objects.get(email="mara@lincoln.example")
    (message,) = mail.outbox
    assert f"/coordinate/invitation/{invitation.token}/" in message.body


def test_a_declined_teacher_is_told_in_their_language(client, administrator, on_commit):
    client.cookies["django_language"] = "es"
    client.post(reverse("coordinator_request"), REQUEST)
    found = CoordinatorRequest.objects.get()
    assert found.language == "es"
    with on_commit():
        accounts.coordinator_request_decline(request=found, decided_by=administrator)
    (message,) = mail.outbox
    assert "Hola, Mara Ortiz:" in message.body


def test_the_request_form_has_the_honeypot_and_a_limit(client, settings):
    page = text(client.get(reverse("coordinator_request")))
    assert 'class="honeypot" aria-hidden="true"' in page
    caught = client.post(reverse("coordinator_request"), {**REQUEST, "website": "spam.example"})
    assert caught.status_code == 400 and not CoordinatorRequest.objects.exists()

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "coordinator_request": 2}
    statuses = [client.post(reverse("coordinator_request"), REQUEST).status_code for _ in range(3)]
    assert statuses[-1] == 429


@pytest.mark.parametrize(
    "url_name",
    [name for name, (needs_login, _what) in ACCOUNT_URLS.items() if needs_login],
)
def test_account_pages_send_anonymous_visitors_to_log_in(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_account_pages_in_spanish_have_no_english_left(client, campaign, coordinator, rosa):
    from tests.test_spanish import english_left

    client.cookies["django_language"] = "es"
    invitation = invite(campaign, coordinator)
    anonymous = [
        reverse("login"),
        reverse("login") + "?next=" + reverse("coordinate:invitation", args=[invitation.token]),
        reverse("password_reset"),
        reverse("password_reset_done"),
        reverse("password_reset_complete"),
        reverse("coordinator_request"),
        reverse("coordinator_request_sent"),
        reverse("coordinate:invitation", args=[invitation.token]),
        reverse("account_email_confirm", args=["not-a-link"]),
    ]
    found = {url: english_left(text(client.get(url))) for url in anonymous}
    client.force_login(rosa)
    for name in ("account", "password_change", "account_email", "account_delete", "two_factor"):
        found[name] = english_left(text(client.get(reverse(name))))
    assert {url: left for url, left in found.items() if left} == {}
    page = text(client.get(reverse("account")))
    assert "Tu cuenta" in page and 'lang="es"' in page
