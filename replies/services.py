"""Replies from officials: recording one, telling the students, asking them, and forgetting.

Writes only; reads the pages share are in `selectors`. Emails to students go through the
students' outbox (`letters.student_emails`), never straight to the mail server.
"""

import datetime
import io
import logging
import re

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.models import Campaign, Official, Team
from letters.models import Batch, Letter, StudentEmail
from letters.student_emails import student_email_queue
from replies.models import Reply, ReplyAnswer, ReplyQuestion
from replies.uploads import CleanFile

logger = logging.getLogger(__name__)

QUESTION_SALT = "replies.question"
#: A question's links work this long after they were sent (and once).
QUESTION_LINK_MAX_AGE = datetime.timedelta(days=120)
#: Letters a reply can answer: ones that went, or are about to go, to the official.
ANSWERABLE = (Letter.Status.APPROVED, Letter.Status.SENT)


def answered_letters(
    *,
    campaign: Campaign,
    official: Official,
    scope: str,
    letter: Letter | None = None,
    team: Team | None = None,
    batch: Batch | None = None,
) -> QuerySet[Letter]:
    """The letters of the campaign a reply from `official` answers, for the scope chosen."""
    letters = Letter.objects.filter(campaign=campaign, status__in=ANSWERABLE).filter(
        Q(recipients=official) | Q(deliveries__official=official)
    )
    if scope == Reply.Scope.LETTER:
        letters = letters.filter(pk=letter.pk if letter else None)
    elif scope == Reply.Scope.TEAM:
        letters = letters.filter(team=team)
    elif scope == Reply.Scope.BATCH:
        letters = letters.filter(deliveries__batch=batch)
    return Letter.objects.filter(pk__in=letters.values("pk"))


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    try:
        return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    except Exception:  # a PDF that was read once when cleaned: its text is only a check
        return ""


def _normalised(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def names_in_reply(*, text: str, letters: QuerySet[Letter], own: Letter | None = None) -> bool:
    """Whether the text names (first and last name) a student of these letters other than
    `own`: such a reply would show one student's name to others."""
    haystack = f" {_normalised(text)} "
    if not haystack.strip():
        return False
    names = letters.exclude(pk=own.pk if own else None).values_list("first_name", "last_name")
    for first, last in names.iterator():
        full = _normalised(f"{first} {last}")
        if full and f" {full} " in haystack:
            return True
    return False


@transaction.atomic
def reply_record(
    *,
    campaign: Campaign,
    official: Official,
    received_on: datetime.date,
    channel: str,
    scope: str,
    letter: Letter | None = None,
    team: Team | None = None,
    batch: Batch | None = None,
    text: str = "",
    upload: CleanFile | None = None,
    public: bool = False,
    created_by: AbstractBaseUser | None = None,
) -> Reply:
    """Record a reply, link it to each letter it answers, and tell each of those students who
    gave an address (once, in their letter's language, with their link and without the reply)."""
    text = text.strip()
    if not text and upload is None:
        raise ValidationError(_("Type the reply's text or upload it as a file."))
    answered = answered_letters(
        campaign=campaign, official=official, scope=scope, letter=letter, team=team, batch=batch
    )
    if not answered.exists():
        raise ValidationError(
            _("No approved or sent letter to this official matches what the reply answers.")
        )
    reply = Reply(
        campaign=campaign,
        official=official,
        received_on=received_on,
        channel=channel,
        scope=scope,
        letter=letter if scope == Reply.Scope.LETTER else None,
        team=team if scope == Reply.Scope.TEAM else (letter.team if letter else None),
        batch=batch if scope == Reply.Scope.BATCH else None,
        text=text,
        public=public,
        created_by=created_by,
        file_type=upload.file_type if upload else "",
    )
    # Whoever may see the reply must not read another student's name in it.
    readers = (
        Letter.objects.filter(campaign=campaign).exclude(status=Letter.Status.DRAFT)
        if public or scope == Reply.Scope.CAMPAIGN
        else answered
    )
    words = text + (" " + _pdf_text(upload.content) if upload and upload.file_type == "pdf" else "")
    if names_in_reply(
        text=words, letters=readers, own=letter if scope == Reply.Scope.LETTER else None
    ):
        raise ValidationError(
            _(
                "The reply names a student who wrote a letter. Other students would read it: "
                "leave students' names out (or record it for that student's letter alone)."
            )
        )
    reply.full_clean(exclude=["file"])
    if upload is not None:
        reply.file.save(f"reply.{upload.file_type}", ContentFile(upload.content), save=False)
    reply.save()
    ReplyAnswer.objects.bulk_create(
        [
            ReplyAnswer(reply=reply, letter_id=letter_id)
            for letter_id in answered.values_list("pk", flat=True)
        ]
    )
    for answered_letter in answered.exclude(email=""):
        student_email_queue(letter=answered_letter, kind=StudentEmail.Kind.REPLY_NOTICE)
    return reply


def _delete(replies: QuerySet[Reply]) -> int:
    """Delete replies with their links; their files go once the transaction commits
    (replies.signals)."""
    return (
        replies.filter(pk__in=list(replies.values_list("pk", flat=True)))
        .delete()[1]
        .get("replies.Reply", 0)
    )


@transaction.atomic
def reply_delete(*, reply: Reply) -> None:
    """A coordinator takes a reply back: the reply, its file and its links to letters."""
    _delete(Reply.objects.filter(pk=reply.pk))


def letter_replies_delete(*, letter: Letter) -> int:
    """With a letter: the replies that are not public and answer that letter alone (its links
    to other replies go with the letter)."""
    answering = ReplyAnswer.objects.filter(letter=letter).values("reply_id")
    alone = (
        Reply.objects.filter(public=False, pk__in=answering)
        .annotate(answered=Count("answers"))
        .filter(answered=1)
    )
    return _delete(
        Reply.objects.filter(Q(pk__in=alone.values("pk")) | Q(letter=letter, public=False))
    )


def campaign_replies_purge(*, campaign: Campaign) -> int:
    """With a campaign's personal data: every reply that is not public (students' data). Public
    replies are the official's words to the campaign and stay; their links to letters go with
    the letters."""
    deleted = _delete(Reply.objects.filter(campaign=campaign, public=False))
    # A public reply to one letter would go with it: it stays, answering no letter.
    Reply.objects.filter(campaign=campaign, public=True).update(letter=None)
    logger.info("purged campaign %s: %d replies deleted", campaign.pk, deleted)
    return deleted


# --- "Did you get a reply?" -------------------------------------------------------------------


def question_link_value(*, question: ReplyQuestion, answer: str) -> str:
    return signing.dumps({"q": question.pk, "a": answer}, salt=QUESTION_SALT)


def question_link_read(value: str) -> tuple[int, str] | None:
    """(question id, answer) from a link, or None when it was tampered with or is too old."""
    try:
        data = signing.loads(
            value, salt=QUESTION_SALT, max_age=QUESTION_LINK_MAX_AGE.total_seconds()
        )
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("a") not in ReplyQuestion.Answer.values:
        return None
    if not isinstance(data.get("q"), int):
        return None
    return data["q"], data["a"]


def question_is_open(*, question_id: int) -> bool:
    return ReplyQuestion.objects.filter(pk=question_id, answered_at__isnull=True).exists()


def reply_question_answer(*, value: str, now: datetime.datetime | None = None) -> bool:
    """Record the answer a link carries, if it is genuine and the question is unanswered: the
    first answer counts, a link works once. Whether it was recorded."""
    read = question_link_read(value)
    if read is None:
        return False
    question_id, answer = read
    return (
        ReplyQuestion.objects.filter(pk=question_id, answered_at__isnull=True).update(
            answer=answer, answered_at=now or timezone.now()
        )
        == 1
    )


def letters_due_a_question(*, now: datetime.datetime | None = None) -> QuerySet[Letter]:
    now = now or timezone.now()
    sent_before = now - datetime.timedelta(days=settings.REPLY_QUESTION_AFTER_DAYS)
    return Letter.objects.filter(
        status=Letter.Status.SENT,
        sent_at__isnull=False,
        sent_at__lte=sent_before,
        reply_question__isnull=True,
    ).exclude(email="")


def reply_questions_ask(*, now: datetime.datetime | None = None) -> int:
    """Ask each student whose letter was sent REPLY_QUESTION_AFTER_DAYS ago, once. Returns how
    many were asked."""
    now = now or timezone.now()
    asked = 0
    for letter in letters_due_a_question(now=now).select_related("template"):
        try:
            with transaction.atomic():
                # The one-to-one row is the "once": a second run (or a second beat) cannot add it.
                ReplyQuestion.objects.create(letter=letter, asked_at=now)
                student_email_queue(letter=letter, kind=StudentEmail.Kind.REPLY_QUESTION)
        except IntegrityError:
            continue
        asked += 1
    if asked:
        logger.info("asked %d students whether they got a reply", asked)
    return asked
