"""A coordinator in a real browser sends a batch through the real worker and watches it finish."""

import pytest

from letters.models import Delivery, Letter
from tests.factories import LetterFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_coordinator_logs_in_approves_and_sends_a_batch_to_100_percent(
    page, campaign, officials, coordinator, start_worker, smtp
):
    from letters import services

    campaign.sender_email = "campaign@example.org"
    campaign.save()
    for official, address in zip(
        officials, ["president@example.gov", "state@example.gov"], strict=True
    ):
        official.delivery_email = address
        official.save()
    for index in range(6):
        services.letter_submit(letter=LetterFactory(campaign=campaign, first_name=f"Writer{index}"))
    start_worker()

    page.goto("/coordinate/")
    page.get_by_label("Email address or user name").fill("casey_coordinator")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name=campaign.title).click()
    page.get_by_role("link", name="Review 6 waiting letters").click()

    page.get_by_label("Select all letters on this page").check()
    page.get_by_label("Action").select_option("approve")
    page.get_by_role("button", name="Apply").click()
    page.get_by_text("6 letters approved.").wait_for()
    assert set(Letter.objects.values_list("status", flat=True)) == {Letter.Status.APPROVED}

    page.get_by_role("link", name="Batches").click()
    page.get_by_label("Email").check()
    # The officials' delivery addresses were just set: the page lists them and asks first.
    page.get_by_text("The delivery address of President of the United States changed").wait_for()
    page.get_by_label("I have checked the changed addresses above").check()
    page.get_by_role("button", name="Start batch").click()
    page.get_by_text("Finished.").wait_for(timeout=90_000)
    assert page.locator("#progress-fill").inner_text() == "100%"
    assert page.locator("[data-count=sent]").inner_text() == "12"
    assert Delivery.objects.filter(state=Delivery.State.SENT).count() == 12
    assert len(smtp.received) == 12
