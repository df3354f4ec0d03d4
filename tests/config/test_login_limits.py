"""Logins are limited per user name and address, and per user name across addresses."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture
def casey(db):
    user = factories.UserFactory(username="casey_coordinator")
    user.set_password("the-right-password-1")
    user.save()
    return user


def attempt(client, password: str, address: str):
    return client.post(
        LOGIN, {"username": "casey_coordinator", "password": password}, REMOTE_ADDR=address
    )


def test_wrong_passwords_from_many_addresses_lock_the_user_name(client, casey, settings):
    """An attacker who changes address at every try is stopped all the same."""
    for number in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, f"wrong-{number}", f"203.0.113.{number + 1}")
        assert response.status_code == 200  # the form again, with its error
    assert attempt(client, "wrong-last", "203.0.113.99").status_code == 429  # the limit
    response = attempt(client, "the-right-password-1", "198.51.100.77")
    assert response.status_code == 429  # locked, even with the right password, from anywhere
    assert "_auth_user_id" not in client.session


def test_one_address_is_locked_too(client, casey, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"wrong-{number}", "203.0.113.9")
    assert attempt(client, "the-right-password-1", "203.0.113.9").status_code == 429


def test_fewer_failures_than_the_limit_still_let_the_user_in(client, casey, settings):
    for number in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, f"wrong-{number}", f"203.0.113.{number + 1}")
    response = attempt(client, "the-right-password-1", "198.51.100.77")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(casey.pk)


def test_another_user_name_is_not_locked(client, casey, settings):
    other = factories.UserFactory(username="olive_other")
    other.set_password("olives-password-2")
    other.save()
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"wrong-{number}", f"203.0.113.{number + 1}")
    response = client.post(
        LOGIN,
        {"username": "olive_other", "password": "olives-password-2"},
        REMOTE_ADDR="203.0.113.1",
    )
    assert response.status_code == 302


def test_the_settings_name_both_kinds_of_lockout(settings):
    assert ["username", "ip_address"] in settings.AXES_LOCKOUT_PARAMETERS
    assert "username" in settings.AXES_LOCKOUT_PARAMETERS
