"""Replies from officials, and what the students who wrote are told of them.

A reply answers letters: one letter, a team's letters, a batch's or the whole campaign's. The
letters it answers are linked one by one (`ReplyAnswer`), so each student's private link shows the
replies to their own letter and nobody else's. A reply that is not public is students' data (it
answers them, and may name them): it goes with the letters it answers and with the campaign's
purge. A public reply is the official's words to the campaign: it stays with the campaign.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaign.models import Campaign, Official, Team
from letters.models import Batch, Letter


def reply_file_path(instance: "Reply", filename: str) -> str:
    extension = instance.file_type or "bin"
    return f"replies/{instance.campaign_id}/{secrets.token_hex(12)}.{extension}"


class Reply(models.Model):
    class Channel(models.TextChoices):
        LETTER = "letter", _("Letter")
        EMAIL = "email", _("Email")
        MEETING = "meeting", _("Meeting")

    class Scope(models.TextChoices):
        LETTER = "letter", _("One letter")
        TEAM = "team", _("A team's letters")
        BATCH = "batch", _("A batch's letters")
        CAMPAIGN = "campaign", _("The whole campaign")

    class FileType(models.TextChoices):
        PDF = "pdf", "PDF"
        PNG = "png", "PNG"
        JPEG = "jpg", "JPEG"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="replies")
    official = models.ForeignKey(Official, on_delete=models.PROTECT, related_name="replies")
    received_on = models.DateField(help_text="The day the reply arrived.")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    scope = models.CharField(max_length=10, choices=Scope.choices)
    # What the reply answers, as the coordinator chose it. A reply to one letter goes with it.
    letter = models.ForeignKey(
        Letter, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    batch = models.ForeignKey(
        Batch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(blank=True, help_text="The reply's words, typed or pasted.")
    file = models.FileField(
        upload_to=reply_file_path,
        blank=True,
        help_text="The reply as a PDF or an image (checked; images re-encoded without metadata).",
    )
    file_type = models.CharField(max_length=4, choices=FileType.choices, blank=True)
    public = models.BooleanField(
        default=False,
        help_text="Shown on the campaign's public page. It is the official's words to the "
        "campaign, kept with it.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name_plural = "replies"
        indexes = [models.Index(fields=["campaign", "public"])]

    def __str__(self) -> str:
        return f"Reply #{self.pk} from {self.official_id} ({self.campaign_id})"


class ReplyAnswer(models.Model):
    """One letter a reply answers: students' data, deleted with the letter."""

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="answers")
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="reply_answers")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reply", "letter"], name="one_answer_per_letter")
        ]

    def __str__(self) -> str:
        return f"Reply {self.reply_id} answers letter {self.letter_id}"


class ReplyQuestion(models.Model):
    """“Did you get a reply?”, asked once a while after the letter was sent, and the answer."""

    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        NOT_YET = "not_yet", _("Not yet")

    letter = models.OneToOneField(Letter, on_delete=models.CASCADE, related_name="reply_question")
    asked_at = models.DateTimeField()
    answer = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Reply question of letter {self.letter_id} ({self.answer or 'unanswered'})"
