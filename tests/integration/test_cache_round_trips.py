"""What a student's request asks of the cache when it is Redis, as deployed (the tests' own): the
content version and each cached block once a request, a rate limit's count in one round trip, and
every count with its expiry. Each command is a round trip and redis-py's Python around it, on
every request of deadline day."""

from collections import Counter

import pytest
import redis
from django.urls import reverse

from letters.models import Letter
from tests import factories
from tests.letters.helpers import compose_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sent(monkeypatch):
    """Every command this process sends to Redis, as (command, key): a pipeline's commands one by
    one, and the pipeline itself as ("PIPELINE", its size)."""
    commands: list[tuple[str, str]] = []
    execute_command = redis.Redis.execute_command
    execute_pipeline = redis.client.Pipeline.execute

    def recording(self, *args, **options):
        commands.append((str(args[0]).upper(), str(args[1]) if len(args) > 1 else ""))
        return execute_command(self, *args, **options)

    def recording_pipeline(self, *args, **kwargs):
        stack = [(str(c[0][0]).upper(), str(c[0][1])) for c in self.command_stack]
        commands.append(("PIPELINE", str(len(stack))))
        commands.extend(stack)
        return execute_pipeline(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "execute_command", recording)
    monkeypatch.setattr(redis.client.Pipeline, "execute", recording_pipeline)
    return commands


def round_trips(commands) -> int:
    """The cache's commands sent on their own, plus one for each pipeline (its commands go
    together). Not the broker's: a save hands the worker its task (LPUSH celery)."""
    commands = [(name, key) for name, key in commands if name == "PIPELINE" or key.startswith(":")]
    in_pipelines = sum(int(key) for name, key in commands if name == "PIPELINE")
    return len(commands) - in_pipelines


def gets(commands) -> Counter:
    return Counter(key for name, key in commands if name == "GET")


@pytest.mark.parametrize(
    "ask",
    [
        pytest.param(lambda client, campaign, data: client.get(campaign_url(campaign)), id="page"),
        pytest.param(lambda client, campaign, data: client.get(compose_url(campaign)), id="form"),
        pytest.param(
            lambda client, campaign, data: client.post(compose_url(campaign), data), id="submit"
        ),
    ],
)
def test_a_request_asks_for_the_content_version_and_each_block_once(
    client, redis_cache, sent, campaign, student, recommendations, officials, ask
):
    data = compose_data(student, recommendations[:2], officials)
    for _ in range(2):  # warm: every block is in Redis
        assert ask(client, campaign, data).status_code in (200, 302)
    sent.clear()
    response = ask(client, campaign, data)
    assert response.status_code in (200, 302)
    asked = gets(sent)
    versions = [key for key in asked if key.endswith(":content-version")]
    assert len(versions) == 1 and asked[versions[0]] == 1, asked
    assert max(asked.values()) == 1, asked  # no block asked for twice
    # The content version and three to four blocks; on a submit, the team-code limit and the
    # letter's "queued for the worker" mark besides (the submit asked 21 before).
    assert round_trips(sent) <= 8, "\n".join(map(str, sent))


def test_a_drafts_preview_reads_the_version_and_its_snapshot_in_one_round_trip(
    client, redis_cache, sent, campaign, student, recommendations, officials
):
    data = compose_data(student, recommendations[:2], officials)
    preview = client.post(compose_url(campaign), data)["Location"]
    assert "Dear" in client.get(preview).content.decode()  # the snapshot is kept
    sent.clear()
    page = client.get(preview).content.decode()
    assert "Dear" in page
    [(name, key)] = [(name, key) for name, key in sent if key.startswith(":")]
    assert name == "MGET" and key.endswith(":content-version"), sent
    assert round_trips(sent) == 1, sent
    # An edit is a new stamp: the preview reads the letter afresh.
    letter = Letter.objects.get()
    letter.personal_paragraph = "A paragraph written again."
    letter.save()
    assert "A paragraph written again." in client.get(preview).content.decode()


def test_an_edit_shows_at_the_next_request_with_the_version_kept_a_request(
    client, redis_cache, campaign
):
    fact = factories.FactFactory(statement="Landmines killed 1,983 people in 2023.")
    campaign.facts.add(fact)
    assert "1,983 people" in client.get(campaign_url(campaign)).content.decode()
    fact.statement = "Landmines and explosive remnants killed 5,757 people in 2023."
    fact.save()
    page = client.get(campaign_url(campaign)).content.decode()
    assert "5,757 people" in page and "1,983 people" not in page


def test_a_rate_limits_count_is_one_round_trip_and_expires_with_its_window(
    client, redis_cache, sent, settings, campaign, student, recommendations, officials
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "letter": 2}
    data = compose_data(student, recommendations[:1], officials)
    codes = []
    for _ in range(3):
        sent.clear()
        codes.append(client.post(compose_url(campaign), data).status_code)
        counted = [key for name, key in sent if name == "INCRBY"]
        assert len(counted) == 1 and ("PIPELINE", "2") in sent, sent
    assert codes == [302, 302, 429]
    assert Letter.objects.count() == 2
    [key] = redis_cache.keys("*ratelimit:letter:*")
    assert int(redis_cache.get(key)) == 3
    assert 3600 < redis_cache.ttl(key) <= 3660  # the hour's window and a minute


def campaign_url(campaign) -> str:
    return reverse("letters:campaign", args=[campaign.slug])


def compose_url(campaign) -> str:
    return reverse("letters:compose", args=[campaign.slug])
