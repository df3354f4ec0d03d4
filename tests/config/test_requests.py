"""Requests that must be a clear 404 or form error, never a 500, and client addresses."""

import pytest
from django.test import RequestFactory

from config.client_ip import client_ip

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/letters/%00/",
        "/letters/" + "x" * 65 + "/",
        "/letters/abc%2e%2e/",
        "/coordinate/batch/99999999999999999999999/",
        "/coordinate/ban-landmines/letters/99999999999999999999/",
        "/coordinate/invitation/%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00/",
    ],
)
def test_odd_ids_and_tokens_are_404(client, coordinator, campaign, path):
    client.force_login(coordinator)
    assert client.get(path).status_code == 404


def test_huge_numbers_in_the_compose_form_are_a_form_error(client, campaign, student):
    data = {**student, "recommendations": ["9" * 30], "recipients": ["18446744073709551616"]}
    response = client.post(f"/campaigns/{campaign.slug}/write/", data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "198.51.100.1", "203.0.113.9", "198.51.100.1"),  # no proxy trusted: header ignored
        (1, "10.0.0.1", "1.2.3.4, 203.0.113.9", "203.0.113.9"),  # the proxy's entry, not the left
        (2, "10.0.0.1", "1.2.3.4, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (1, "10.0.0.1", "", "10.0.0.1"),
        (1, "10.0.0.1", "not-an-address", "10.0.0.1"),
        (0, "", "", "0.0.0.0"),  # noqa: S104 - the placeholder for an unknown address
    ],
)
def test_client_address(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
