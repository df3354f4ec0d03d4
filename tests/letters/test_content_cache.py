"""What only editors change is cached (campaign/content_cache.py), and no page is stale after an
edit: by an administrator in the admin, or by a coordinator in their campaign settings."""

import contextlib
import datetime
import time

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaign.models import Campaign, Fact
from letters import services
from letters.models import Delivery, Letter
from tests import factories
from tests.coordinate.test_campaigns import edit_data
from tests.letters.helpers import compose_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def fact(campaign):
    fact = factories.FactFactory(statement="Landmines killed 1,983 people in 2023.")
    campaign.facts.add(fact)
    return fact


def campaign_page(client, campaign) -> str:
    response = client.get(reverse("letters:campaign", args=[campaign.slug]))
    assert response.status_code == 200
    return response.content.decode()


def compose_page(client, campaign) -> str:
    response = client.get(reverse("letters:compose", args=[campaign.slug]))
    assert response.status_code == 200
    return response.content.decode()


def admin_change_data(user, instance, **changes) -> dict:
    """The admin change form of `instance` as a browser posts it back, with `changes`."""
    model_admin = admin.site._registry[type(instance)]
    request = RequestFactory().get("/")
    request.user = user
    form = model_admin.get_form(request, instance)(instance=instance)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        elif value is not None and value is not False:
            data[name] = "on" if value is True else str(value)
    data.update(changes)
    return data


def test_campaign_page_shows_a_facts_new_text_after_an_administrator_edits_it(
    client, campaign, fact, administrator
):
    assert "Landmines killed 1,983 people" in campaign_page(client, campaign)
    assert "Landmines killed 1,983 people" in compose_page(client, campaign)

    editor = factories.UserFactory(username="ada_admin_client", is_staff=True, is_superuser=True)
    client.force_login(editor)
    data = admin_change_data(editor, fact, statement_en="Mines and explosive remnants: 5,757.")
    response = client.post(reverse("admin:campaign_fact_change", args=[fact.pk]), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    client.logout()

    page = campaign_page(client, campaign)
    assert "Mines and explosive remnants: 5,757." in page
    assert "Landmines killed 1,983 people" not in page
    form = compose_page(client, campaign)
    assert "Mines and explosive remnants: 5,757." in form
    assert "Landmines killed 1,983 people" not in form


def test_a_recommendation_edited_in_its_list_shows_on_both_pages(client, campaign, recommendations):
    campaign_page(client, campaign), compose_page(client, campaign)  # cached
    item = recommendations[2]
    item.text = "Join the Mine Ban Treaty without delay."
    item.save()
    assert "Join the Mine Ban Treaty without delay." in campaign_page(client, campaign)
    assert "Join the Mine Ban Treaty without delay." in compose_page(client, campaign)


def test_a_fact_taken_off_the_campaign_leaves_its_page(client, campaign, fact):
    assert "Landmines killed 1,983 people" in campaign_page(client, campaign)
    campaign.facts.remove(fact)  # m2m_changed
    assert "Landmines killed 1,983 people" not in campaign_page(client, campaign)
    assert "Landmines killed 1,983 people" not in compose_page(client, campaign)


def test_a_deleted_fact_leaves_the_page(client, campaign, fact):
    campaign_page(client, campaign)
    Fact.objects.filter(pk=fact.pk).delete()
    assert "Landmines killed 1,983 people" not in campaign_page(client, campaign)


def test_a_coordinator_editing_the_campaign_settings_changes_the_page_at_once(
    client, campaign, coordinator, officials
):
    assert "Joseph R. Biden" in campaign_page(client, campaign)
    client.force_login(coordinator)
    data = edit_data(campaign, summary_en="A new summary from the coordinator.")
    data["targets"] = [officials[1].pk]
    response = client.post(reverse("coordinate:edit", args=[campaign.slug]), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    client.logout()
    page = campaign_page(client, campaign)
    assert "A new summary from the coordinator." in page
    assert "Antony Blinken" in page
    assert "Joseph R. Biden" not in page


def test_a_new_holder_of_an_office_is_named_at_once(client, campaign, officials):
    assert "Joseph R. Biden" in campaign_page(client, campaign)
    officials[0].terms.update(name="Someone Else")  # a bulk update sends no signal...
    assert "Joseph R. Biden" in campaign_page(client, campaign)  # ...so the page is as cached
    term = officials[0].terms.get()
    term.save()  # the admin saves each term: that renews it
    assert "Someone Else" in campaign_page(client, campaign)


def test_a_template_deactivated_closes_the_campaign_page_to_new_letters(client, campaign):
    assert "Write a letter" in campaign_page(client, campaign)
    for template in campaign.templates.all():
        template.is_active = False
        template.save()
    assert "This campaign is not taking new letters." in campaign_page(client, campaign)


@pytest.fixture
def clock(monkeypatch):
    """The in-memory cache's clock, moved on by `clock.forward(seconds)` (what a Redis key's
    expiry does in production): the tests wait for nothing. Both the clock an entry's expiry is
    set by and the one it is read by move."""
    import django.core.cache.backends.base as base
    import django.core.cache.backends.locmem as locmem

    class Clock:
        offset = 0.0

        def time(self) -> float:
            return time.time() + self.offset

        def forward(self, seconds: float) -> None:
            self.offset += seconds

    moved = Clock()
    monkeypatch.setattr(locmem, "time", moved)
    monkeypatch.setattr(base, "time", moved)
    return moved


@pytest.fixture(autouse=True)
def figures_seconds(settings):
    settings.CAMPAIGN_FIGURES_SECONDS = 10


def write_and_submit(client, campaign, student, recommendations, officials) -> Letter:
    client.post(
        reverse("letters:compose", args=[campaign.slug]),
        compose_data(student, recommendations[:2], officials),
    )
    letter = Letter.objects.latest("pk")
    client.post(reverse("letters:submit", args=[letter.token]))
    return letter


def test_a_submitted_letter_is_counted_once_the_pages_figures_are_older_than_their_time(
    client, campaign, student, recommendations, officials, clock
):
    assert "0 of 100 letters" in campaign_page(client, campaign)
    write_and_submit(client, campaign, student, recommendations, officials)
    # The count of 0 s ago still stands ...
    clock.forward(9)
    assert "0 of 100 letters" in campaign_page(client, campaign)
    # ... and is counted again once it is 10 s old.
    clock.forward(1.5)
    assert "1 of 100 letters" in campaign_page(client, campaign)


def test_with_no_time_for_figures_every_view_counts_the_letters(
    client, campaign, student, recommendations, officials, settings
):
    settings.CAMPAIGN_FIGURES_SECONDS = 0
    assert "0 of 100 letters" in campaign_page(client, campaign)
    write_and_submit(client, campaign, student, recommendations, officials)
    assert "1 of 100 letters" in campaign_page(client, campaign)


def test_a_coordinators_goal_and_paper_letters_show_at_once_with_a_fresh_count(
    client, campaign, coordinator, student, recommendations, officials
):
    assert "0 of 100 letters" in campaign_page(client, campaign)
    write_and_submit(client, campaign, student, recommendations, officials)
    client.force_login(coordinator)
    data = edit_data(campaign, letter_goal="250", paper_letters="5")
    response = client.post(reverse("coordinate:edit", args=[campaign.slug]), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    client.logout()
    # The edit renews every cached block and figure: the letter submitted before it counts too.
    assert "6 of 250 letters" in campaign_page(client, campaign)


def test_a_public_reply_and_a_deleted_one_show_on_the_campaign_page_at_once(
    client, campaign, officials
):
    from replies import services as reply_services
    from replies.models import Reply

    letter = factories.approved_letters(campaign, 1)[0]
    factories.DeliveryFactory(
        batch=factories.BatchFactory(campaign=campaign),
        letter=letter,
        official=officials[0],
        state=Delivery.State.SENT,
    )
    page = campaign_page(client, campaign)
    assert "1 letter sent" in page and "0 replies received" in page
    reply = reply_services.reply_record(
        campaign=campaign,
        official=officials[0],
        received_on=datetime.date(2026, 3, 3),
        channel=Reply.Channel.MEETING,
        scope=Reply.Scope.CAMPAIGN,
        text="We thank every student who wrote: the policy is under review.",
        public=True,
    )
    page = campaign_page(client, campaign)
    assert "1 reply received" in page and "the policy is under review" in page
    reply_services.reply_delete(reply=reply)
    page = campaign_page(client, campaign)
    assert "0 replies received" in page and "the policy is under review" not in page


def test_letters_sent_by_a_batch_are_counted_once_the_figures_are_older_than_their_time(
    client, campaign, officials, clock
):
    from letters.outbox import deliveries_mark_sent

    letters = factories.approved_letters(campaign, 2)
    batch = factories.BatchFactory(campaign=campaign)
    deliveries = [
        factories.DeliveryFactory(
            batch=batch, letter=letter, official=officials[0], state=Delivery.State.QUEUED
        )
        for letter in letters
    ]
    assert "letters sent" not in campaign_page(client, campaign)  # none yet: no section
    deliveries_mark_sent([delivery.pk for delivery in deliveries], message_ids=False)
    assert "letters sent" not in campaign_page(client, campaign)
    clock.forward(10.5)
    assert "2 letters sent" in campaign_page(client, campaign)


def test_the_home_page_counts_letters_again_once_its_figures_are_old_and_shows_an_edit_at_once(
    client, campaign, student, recommendations, officials, clock
):
    home = reverse("letters:home")
    assert "0 of 100 letters" in client.get(home).content.decode()
    write_and_submit(client, campaign, student, recommendations, officials)
    assert "0 of 100 letters" in client.get(home).content.decode()
    clock.forward(10.5)
    assert "1 of 100 letters" in client.get(home).content.decode()
    write_and_submit(client, campaign, student, recommendations, officials)
    campaign.title = "Ban landmines everywhere"
    campaign.save()
    page = client.get(home).content.decode()
    assert "Ban landmines everywhere" in page and "2 of 100 letters" in page


@pytest.mark.parametrize(
    ("read", "shown"),
    [(campaign_page, "0 of 100 letters"), (compose_page, 'name="first_name"')],
    ids=["campaign page", "compose form"],
)
def test_a_warm_public_page_asks_the_database_nothing(
    client, campaign, fact, django_assert_num_queries, read, shown
):
    read(client, campaign)
    with django_assert_num_queries(0):
        page = read(client, campaign)
    assert "Landmines killed 1,983 people" in page and shown in page


def test_a_campaign_closed_or_unpublished_takes_no_new_letter_at_once(
    client, campaign, student, recommendations, officials
):
    """The compose form and its submit read the campaign's row from the cache: a coordinator's
    close, and an administrator's unpublish, apply to the very next request."""
    url = reverse("letters:compose", args=[campaign.slug])
    data = compose_data(student, recommendations[:1], officials[:1])
    assert 'name="first_name"' in compose_page(client, campaign)
    campaign.status = Campaign.Status.CLOSED
    campaign.save()
    page = compose_page(client, campaign)
    assert "This campaign is closed and no longer takes new letters." in page
    assert 'name="first_name"' not in page
    client.post(url, data)
    assert not Letter.objects.exists()
    campaign.status = Campaign.Status.DRAFT
    campaign.save()
    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    campaign.status = Campaign.Status.OPEN
    campaign.save()
    assert client.post(url, data).status_code == 302
    assert Letter.objects.get().campaign == campaign


def test_a_list_or_an_official_taken_off_the_campaign_is_refused_at_the_next_letter(
    client, campaign, student, recommendations, officials
):
    """The compose form and the save read which lists and officials a campaign has from the
    cache (services.campaign_choices): taking one off (a coordinator's settings, the admin)
    refuses it at the very next letter, in the form and in the save itself."""

    def content(recipients) -> services.LetterContent:
        return services.LetterContent(
            author={name: student.get(name, "") for name in Letter.AUTHOR_FIELDS},
            personal_paragraph="",
            recommendations=recommendations[:1],
            recipients=recipients,
        )

    url = reverse("letters:compose", args=[campaign.slug])
    assert services.letter_create(campaign=campaign, content=content(officials[:1]))
    assert (
        client.post(url, compose_data(student, recommendations[:1], officials)).status_code == 302
    )
    campaign.targets.remove(officials[1])
    with pytest.raises(ValidationError, match="Choose officials this campaign writes to"):
        services.letter_create(campaign=campaign, content=content(officials[1:]))
    page = client.post(url, compose_data(student, recommendations[:1], officials[1:]))
    assert page.status_code == 200 and "Select a valid choice" in page.content.decode()
    campaign.recommendation_lists.remove(recommendations[0].recommendation_list)
    with pytest.raises(ValidationError, match="Choose recommendations from this campaign"):
        services.letter_create(campaign=campaign, content=content(officials[:1]))
    assert Letter.objects.count() == 2


def test_a_cached_campaign_page_reads_no_content_from_the_database(client, campaign, fact):
    with CaptureQueriesContext(connection) as first:
        first_page = campaign_page(client, campaign)
    with CaptureQueriesContext(connection) as second:
        second_page = campaign_page(client, campaign)
    assert "Landmines killed 1,983 people" in first_page
    assert "Landmines killed 1,983 people" in second_page
    read = " ".join(query["sql"] for query in second.captured_queries)
    assert "campaign_fact" not in read and "campaign_recommendation" not in read
    assert len(second.captured_queries) < len(first.captured_queries)


def test_each_language_has_its_own_cached_page(client, campaign, fact):
    fact.statement_es = "Las minas mataron a 1.983 personas en 2023."
    fact.save()
    english = campaign_page(client, campaign)
    client.cookies["django_language"] = "es"
    spanish = client.get(
        reverse("letters:campaign", args=[campaign.slug]), HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    assert "Landmines killed 1,983 people" in english
    assert "Las minas mataron a 1.983 personas en 2023." in spanish
    assert "Las minas mataron" not in english


def test_nothing_a_student_gets_is_shared_with_the_next(client, campaign, fact):
    from django.test import Client

    other = Client()
    first, second = compose_page(client, campaign), compose_page(other, campaign)
    token = 'name="csrfmiddlewaretoken" value="'
    first_token = first.split(token)[1].split('"')[0]
    second_token = second.split(token)[1].split('"')[0]
    assert first_token != second_token  # the form around the cached blocks is each one's own
    assert "Landmines killed 1,983 people" in second


def test_boxes_a_student_ticked_are_kept_when_the_form_comes_back(
    client, campaign, student, recommendations, officials
):
    compose_page(client, campaign)  # a fresh form, with the suggested ones ticked, is cached
    data = compose_data(student, [recommendations[3]], officials, first_name="")
    page = client.post(reverse("letters:compose", args=[campaign.slug]), data).content.decode()
    assert f'id="recommendation-{recommendations[3].pk}" data-text="' in page
    assert f'value="{recommendations[3].pk}" id="recommendation-{recommendations[3].pk}"' in page
    ticked = page.split(f'id="recommendation-{recommendations[3].pk}"')[1].split(">")[0]
    assert "checked" in ticked
    unticked = page.split(f'id="recommendation-{recommendations[0].pk}"')[1].split(">")[0]
    assert "checked" not in unticked


def test_a_new_letters_form_is_rendered_once_and_posts_with_each_students_own_token(
    campaign, fact, student, recommendations, officials
):
    from django.test import Client

    first = Client(enforce_csrf_checks=True)
    with CaptureQueriesContext(connection) as rendered:
        compose_page(first, campaign)
    second = Client(enforce_csrf_checks=True)
    with CaptureQueriesContext(connection) as cached:
        page = compose_page(second, campaign)
    # The second student's form came from the cache: no recommendation, fact or official read.
    read = " ".join(query["sql"] for query in cached.captured_queries)
    for table in ("campaign_recommendation", "campaign_fact", "campaign_official"):
        assert table not in read
    assert len(cached.captured_queries) < len(rendered.captured_queries)
    assert "Landmines killed 1,983 people" in page
    assert f'value="{recommendations[0].pk}"' in page
    # ... and it posts with the token this student was given.
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    data = compose_data(student, recommendations[:1], officials)
    response = second.post(
        reverse("letters:compose", args=[campaign.slug]), {**data, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert Letter.objects.get().first_name == student["first_name"]


def test_a_drafts_preview_and_pdf_follow_its_edits_and_a_new_holder_of_the_office(
    client, campaign, student, recommendations, officials
):
    from tests.letters.helpers import pdf_text
    from tests.letters.test_pdf_storage import download

    data = compose_data(student, recommendations[:1], officials[:1])
    client.post(reverse("letters:compose", args=[campaign.slug]), data)
    letter = Letter.objects.get()
    preview = reverse("letters:detail", args=[letter.token])
    assert "Joseph R. Biden" in client.get(preview).content.decode()
    # The student's edit: the next preview and PDF read it, not the draft as first kept.
    edited = {**data, "personal_paragraph": "A paragraph written again."}
    client.post(reverse("letters:edit", args=[letter.token]), edited)
    assert "A paragraph written again." in client.get(preview).content.decode()
    assert "A paragraph written again." in pdf_text(download(client, letter))
    # An administrator records the office's new holder: the draft is addressed to them at once.
    term = officials[0].terms.get()
    term.name = "Someone Else"
    term.save()
    assert "Someone Else" in client.get(preview).content.decode()
    assert "Someone Else" in pdf_text(download(client, letter))


def test_an_edit_made_while_the_cache_was_unreachable_shows_once_it_is_back(
    client, campaign, fact, monkeypatch
):
    """The cache kept its data through the outage (Redis with appendonly): the version the edit
    could not renew is renewed at the first call once the cache answers again."""
    from django.core.cache import cache
    from redis.exceptions import ConnectionError as RedisConnectionError

    from campaign import content_cache

    assert "Landmines killed 1,983 people" in campaign_page(client, campaign)  # cached

    def unreachable(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    with monkeypatch.context() as outage:
        for name in ("get", "set", "add", "delete", "get_many", "delete_many"):
            outage.setattr(cache, name, unreachable)
        fact.statement = "Landmines killed 1,984 people in 2023."
        fact.save()  # the editor's save goes through ...
        assert "1,984 people" in campaign_page(client, campaign)  # ... rendered afresh
    content_cache._down_until = 0.0  # DOWN_SECONDS later
    page = campaign_page(client, campaign)
    assert "1,984 people" in page and "1,983 people" not in page


def test_an_edit_with_the_cache_up_says_nothing_of_an_outage(campaign, fact, caplog):
    fact.statement = "Landmines killed 1,984 people in 2023."
    with caplog.at_level("INFO", logger="campaign.content_cache"):
        fact.save()
    assert caplog.messages == []


def test_migrating_renews_every_cached_block(client, campaign, fact):
    from django.core.management import call_command

    from campaign import content_cache

    assert "Landmines killed 1,983 people" in campaign_page(client, campaign)
    before = content_cache.version()
    # What a data migration does: rows change without a signal.
    Fact.objects.filter(pk=fact.pk).update(statement="Landmines killed 5,757 people in 2023.")
    assert "Landmines killed 1,983 people" in campaign_page(client, campaign)
    call_command("migrate", verbosity=0)
    assert content_cache.version() != before
    assert "Landmines killed 5,757 people" in campaign_page(client, campaign)


# --- One request reads the version and each block once (content_cache._reads) -------------------


@contextlib.contextmanager
def a_request():
    """Between the signals Django's handler sends around every request (without closing the
    test's database connection, as Django's test client does)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        request_started.send(sender=None)
        yield
    finally:
        request_finished.send(sender=None)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def in_a_request():
    with a_request():
        yield


def test_within_a_request_a_block_is_read_once_and_a_change_to_it_stays_with_the_caller(
    in_a_request,
):
    from django.core.cache import cache

    from campaign import content_cache

    def render():
        return {"facts": ["Landmines killed 1,983 people in 2023."]}

    first = content_cache.cached("test-block", 1, render=render)
    first["facts"].append("a caller's own change")
    # Another process writes the block anew: this request has read it already.
    cache.set(content_cache.key("test-block", 1), {"facts": ["written elsewhere"]})
    again = content_cache.cached("test-block", 1, render=render)
    assert again == {"facts": ["Landmines killed 1,983 people in 2023."]}


def test_an_edit_within_a_request_is_read_at_once_in_that_request(in_a_request, fact):
    from campaign import content_cache

    before = content_cache.version()
    assert content_cache.cached("test-block", 1, render=lambda: "before") == "before"
    fact.statement = "Landmines killed 5,757 people in 2023."
    fact.save()  # a coordinator's save, in the request that then reads a block
    assert content_cache.version() != before
    assert content_cache.cached("test-block", 1, render=lambda: "after") == "after"


def test_another_process_edit_is_read_at_the_next_request_and_at_once_outside_one():
    """A request keeps the version it read first (an edit elsewhere shows at the next request);
    a worker's task or a management command, outside any request, reads it on every call."""
    from django.core.cache import cache

    from campaign import content_cache

    with a_request():
        before = content_cache.version()
        cache.set(content_cache.VERSION_KEY, "edited-in-another-process", timeout=None)
        assert content_cache.version() == before
    assert content_cache.version() == "edited-in-another-process"
    cache.set(content_cache.VERSION_KEY, "edited-again", timeout=None)
    assert content_cache.version() == "edited-again"
    with a_request():
        assert content_cache.version() == "edited-again"


def test_the_version_and_another_key_read_together_agree_with_the_version():
    from django.core.cache import cache

    from campaign import content_cache

    cache.clear()  # no version yet: the first one written is the one read
    first, found = content_cache.version_and("draft-snapshot:1")
    assert found is None and first == content_cache.version()
    cache.set("draft-snapshot:1", {"stamp": ["a"]})
    with a_request():
        assert content_cache.version_and("draft-snapshot:1") == (first, {"stamp": ["a"]})
        cache.set(content_cache.VERSION_KEY, "edited-in-another-process", timeout=None)
        # This request keeps the version it read, and reads the other key afresh.
        assert content_cache.version_and("draft-snapshot:1") == (first, {"stamp": ["a"]})
