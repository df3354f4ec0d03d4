"""Accessibility of the replies pages (issue #21): axe-core finds no serious or critical
violation on the student's page with a reply, the public campaign page with its figures, the
answer page, and the coordinator's replies (with form errors) and outcomes pages."""

import datetime

import pytest
from django.utils import timezone

from letters.models import Delivery, Letter
from replies import services
from replies.models import Reply, ReplyQuestion
from tests.browser.test_accessibility import AXE, RUN_AXE, audit, axe, site  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_replies_pages_have_no_serious_violations(axe, site, coordinator, officials):  # noqa: F811
    page = axe
    campaign = site["campaign"]
    president = officials[0]
    # The site's print batch was posted three days ago.
    sent_at = timezone.now() - datetime.timedelta(days=3)
    letters = list(campaign.letters.filter(deliveries__batch=site["batch"]).distinct())
    Delivery.objects.filter(batch=site["batch"]).update(state=Delivery.State.SENT, sent_at=sent_at)
    Letter.objects.filter(pk__in=[x.pk for x in letters]).update(status="sent", sent_at=sent_at)
    services.reply_record(
        campaign=campaign,
        official=president,
        received_on=datetime.date(2026, 3, 2),
        channel=Reply.Channel.LETTER,
        scope=Reply.Scope.LETTER,
        letter=letters[0],
        text="Thank you for your letter.",
    )
    services.reply_record(
        campaign=campaign,
        official=president,
        received_on=datetime.date(2026, 3, 3),
        channel=Reply.Channel.MEETING,
        scope=Reply.Scope.CAMPAIGN,
        text="To every student: the policy is under review.",
        public=True,
    )
    question = ReplyQuestion.objects.create(letter=letters[1], asked_at=timezone.now())
    answer = services.question_link_value(question=question, answer="yes")
    urls = [
        f"/letters/{letters[0].token}/",
        f"/campaigns/{campaign.slug}/",
        f"/replies/answer/{answer}/",
        "/replies/answer/not-signed/",
    ]
    violations = [violation for url in urls for violation in audit(page, url)]
    page.goto("/accounts/login/")
    page.get_by_label("Email address or user name").fill(coordinator.username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/coordinate/")
    for url in (f"/coordinate/{campaign.slug}/replies/", f"/coordinate/{campaign.slug}/outcomes/"):
        violations += audit(page, url)
    # The form with its errors.
    page.goto(f"/coordinate/{campaign.slug}/replies/")
    page.get_by_role("button", name="Record the reply").click()
    page.get_by_text("Choose what the reply answers.").or_(
        page.get_by_text("This field is required.")
    ).first.wait_for()
    page.add_script_tag(path=str(AXE))
    violations += [f"replies form with errors: {found}" for found in page.evaluate(RUN_AXE)]
    assert not violations, "\n".join(violations)
