"""Administrators sign in with a second factor when ADMIN_REQUIRE_TWO_FACTOR is on (issue #19):
the admin refuses staff without a device and says how to add one; a right code lets them in; a
wrong code is limited; recovery codes work once."""

import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db
PASSWORD = "a long and unusual passphrase 42"
ADMIN = reverse("admin:index")


@pytest.fixture(autouse=True)
def required(settings):
    settings.ADMIN_REQUIRE_TWO_FACTOR = True


@pytest.fixture
def ada(administrator):
    administrator.set_password(PASSWORD)
    administrator.save()
    return administrator


def code_for(device: TOTPDevice, *, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def password_login(client: Client, user) -> str:
    """Log in through the admin's own page, as a person would; the page it ends on."""
    response = client.post(
        reverse("admin:login") + f"?next={ADMIN}",
        {"username": user.get_username(), "password": PASSWORD, "next": ADMIN},
        follow=True,
    )
    return response


def test_staff_without_a_device_are_refused_and_told_how_to_add_one(client, ada):
    response = password_login(client, ada)
    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith(reverse("two_factor"))
    assert "The admin needs a second step" in page
    assert reverse("two_factor_setup") in page
    assert "Campaigns, letters and officials" not in page
    assert client.get(ADMIN).status_code == 302
    assert client.get(reverse("admin:campaign_campaign_changelist")).status_code == 302


def test_with_a_device_and_the_right_code_they_get_in(client, ada):
    device = TOTPDevice.objects.create(user=ada, name="phone", confirmed=True)
    response = password_login(client, ada)
    assert "Second step: your code" in response.content.decode()
    entered = client.post(
        reverse("two_factor"), {"code": code_for(device), "next": ADMIN}, follow=True
    )
    assert "Campaigns, letters and officials" in entered.content.decode()
    assert client.get(reverse("admin:campaign_campaign_changelist")).status_code == 200


def test_a_wrong_code_is_limited(client, ada, settings):
    device = TOTPDevice.objects.create(user=ada, name="phone", confirmed=True)
    password_login(client, ada)
    wrong = client.post(
        reverse("two_factor"), {"code": "000000" if code_for(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 400
    assert "That code is not right" in wrong.content.decode()
    # Right after a wrong code, even the right one waits (django-otp's growing delay).
    too_soon = client.post(reverse("two_factor"), {"code": code_for(device)})
    assert too_soon.status_code == 400
    assert client.get(ADMIN).status_code == 302

    # And an hour holds only so many tries, right or wrong.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "two_factor": 2}
    device.refresh_from_db()
    device.throttle_reset()
    limited = client.post(reverse("two_factor"), {"code": code_for(device)})
    assert limited.status_code == 429
    assert "Too many codes" in limited.content.decode()
    assert client.get(ADMIN).status_code == 302


def test_a_recovery_code_works_once(client, ada):
    TOTPDevice.objects.create(user=ada, name="phone", confirmed=True)
    recovery = StaticDevice.objects.create(user=ada, name="Recovery codes", confirmed=True)
    StaticToken.objects.create(device=recovery, token="abcd2345")
    password_login(client, ada)
    client.post(reverse("two_factor"), {"code": "abcd 2345"})
    assert client.get(ADMIN).status_code == 200

    again = Client()
    password_login(again, ada)
    recovery.refresh_from_db()
    recovery.throttle_reset()
    assert again.post(reverse("two_factor"), {"code": "abcd2345"}).status_code == 400
    assert again.get(ADMIN).status_code == 302


def test_adding_an_app_gives_recovery_codes_and_opens_the_admin(client, ada):
    password_login(client, ada)
    page = client.get(reverse("two_factor_setup")).content.decode()
    assert 'src="data:image/svg+xml' in page and "QR code of your account key" in page
    device = TOTPDevice.objects.get(user=ada, confirmed=False)

    refused = client.post(reverse("two_factor_setup"), {"code": "12345"})
    assert refused.status_code == 400
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()  # a wrong code makes the next wait a second

    done = client.post(reverse("two_factor_setup"), {"code": code_for(device)})
    page = done.content.decode()
    assert "Keep your recovery codes" in page
    codes = StaticToken.objects.filter(device__user=ada).values_list("token", flat=True)
    assert len(codes) == 10 and all(code in page for code in codes)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(ADMIN).status_code == 200


def test_replacing_the_app_needs_the_old_one_first(client, ada):
    TOTPDevice.objects.create(user=ada, name="phone", confirmed=True)
    password_login(client, ada)
    response = client.get(reverse("two_factor_setup"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor"))
    assert not TOTPDevice.objects.filter(user=ada, confirmed=False).exists()


def test_coordinators_are_not_asked(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("coordinate:dashboard")).status_code == 200
    assert client.get(reverse("two_factor_setup")).status_code == 404


def test_off_the_admin_opens_with_the_password_alone(client, ada, settings):
    settings.ADMIN_REQUIRE_TWO_FACTOR = False
    response = password_login(client, ada)
    assert "Campaigns, letters and officials" in response.content.decode()
