"""The review queue's "select all" box, driven by static/js/queue.js, in a real browser."""

import pytest

from letters import services
from letters.models import Letter
from tests.factories import LetterFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _open_the_queue_with_its_script_held(page, campaign):
    """Log in and open the review queue with its script held back, as on a slow connection;
    returns the held request (`continue_()` lets the script through)."""
    held = []
    page.route("**/js/queue*.js", lambda route: held.append(route))
    page.goto(f"/accounts/login/?next=/coordinate/{campaign.slug}/letters/")
    page.get_by_label("Email address or user name").fill("casey_coordinator")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Review queue").wait_for()
    for _ in range(200):
        if held:
            return held[0]
        page.wait_for_timeout(50)  # lets Playwright call the route handler
    raise AssertionError("the queue's script was never asked for")


def test_select_all_is_hidden_until_its_script_runs_and_then_ticks_every_letter(
    page, campaign, coordinator
):
    for index in range(3):
        services.letter_submit(letter=LetterFactory(campaign=campaign, first_name=f"Writer{index}"))
    script = _open_the_queue_with_its_script_held(page, campaign)
    select_all = page.get_by_label("Select all letters on this page")
    # Without its script the box would do nothing: it is not shown.
    assert select_all.count() == 1
    assert not select_all.is_visible()
    script.continue_()

    select_all.check()
    assert all(box.is_checked() for box in page.locator(".letter-choice").all())
    page.get_by_label("Select the letter from Writer1").uncheck()
    # One letter unticked: "select all" is neither ticked nor clear.
    assert not select_all.is_checked()
    assert page.evaluate("document.getElementById('select-all').indeterminate")
    page.get_by_label("Select the letter from Writer1").check()
    assert select_all.is_checked()

    page.get_by_label("Action").select_option("approve")
    page.get_by_role("button", name="Apply").click()
    page.get_by_text("3 letters approved.").wait_for()
    assert set(Letter.objects.values_list("status", flat=True)) == {Letter.Status.APPROVED}


def test_a_tick_given_before_the_script_ran_still_selects_every_letter(page, campaign, coordinator):
    for index in range(2):
        services.letter_submit(letter=LetterFactory(campaign=campaign, first_name=f"Writer{index}"))
    script = _open_the_queue_with_its_script_held(page, campaign)
    # A box ticked before the script ran (a fast click, or a tick the browser restored on Back).
    page.evaluate("document.getElementById('select-all').checked = true")
    script.continue_()
    page.get_by_label("Select all letters on this page").wait_for()
    assert all(box.is_checked() for box in page.locator(".letter-choice").all())
