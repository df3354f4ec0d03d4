"""Replies addressed to students are students' data: deleted with the letter they answer alone,
and with the campaign's purge; public replies are the official's words and stay."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from campaign.models import Campaign
from letters import retention
from letters import services as letter_services
from replies import services
from replies.models import Reply, ReplyAnswer, ReplyQuestion
from replies.uploads import CleanFile

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def record(campaign, president, **kwargs) -> Reply:
    return services.reply_record(
        campaign=campaign,
        official=president,
        received_on=datetime.date(2026, 3, 2),
        channel=Reply.Channel.LETTER,
        text=kwargs.pop("text", "Thank you for writing."),
        **kwargs,
    )


def test_deleting_a_letter_deletes_its_reply_and_links_but_not_others(
    campaign, teams, classes, president, django_capture_on_commit_callbacks
):
    student = classes["room7"][0]
    to_one = record(
        campaign,
        president,
        scope=Reply.Scope.LETTER,
        letter=student,
        upload=CleanFile(b"%PDF-1.7 one", "pdf", "application/pdf"),
    )
    file_name = to_one.file.name
    to_team = record(campaign, president, scope=Reply.Scope.TEAM, team=teams[0])
    ReplyQuestion.objects.create(letter=student, asked_at=timezone.now(), answer="yes")
    with django_capture_on_commit_callbacks(execute=True):
        letter_services.letter_delete(letter=student)
    assert not Reply.objects.filter(pk=to_one.pk).exists()
    assert not default_storage.exists(file_name)
    assert not ReplyAnswer.objects.filter(letter_id=student.pk).exists()
    assert not ReplyQuestion.objects.exists()
    # The team's reply still answers the team's other letters.
    assert set(to_team.answers.values_list("letter", flat=True)) == {
        letter.pk for letter in classes["room7"][1:]
    }


def test_a_reply_answering_only_the_deleted_letter_goes_with_it(
    campaign, teams, classes, president
):
    (room9_letter,) = classes["room9"]
    to_team = record(campaign, president, scope=Reply.Scope.TEAM, team=teams[1])
    letter_services.letter_delete(letter=room9_letter)
    assert not Reply.objects.filter(pk=to_team.pk).exists()


def test_purge_deletes_non_public_replies_and_keeps_public_ones(
    campaign, teams, classes, president, django_capture_on_commit_callbacks
):
    private = record(
        campaign,
        president,
        scope=Reply.Scope.TEAM,
        team=teams[0],
        upload=CleanFile(b"%PDF-1.7 team", "pdf", "application/pdf"),
    )
    public = record(
        campaign,
        president,
        scope=Reply.Scope.CAMPAIGN,
        public=True,
        text="Our answer to every student: the review is under way.",
    )
    Campaign.objects.filter(pk=campaign.pk).update(
        status=Campaign.Status.CLOSED,
        closed_at=timezone.now() - datetime.timedelta(days=400),
    )
    with django_capture_on_commit_callbacks(execute=True):
        purged = retention.personal_data_purge()
    assert purged == {campaign.slug: 4}
    assert not Reply.objects.filter(pk=private.pk).exists()
    assert not default_storage.exists(private.file.name)
    kept = Reply.objects.get(pk=public.pk)
    assert kept.text == public.text and not kept.answers.exists()
    assert not ReplyAnswer.objects.exists() and not ReplyQuestion.objects.exists()
