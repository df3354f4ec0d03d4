"""What students write, and the templates their letters are written from."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaign import languages
from campaign.models import Campaign, Official, Recommendation, Team
from letters import template_language

PERSONAL_PARAGRAPH_MAX_LENGTH = 2000


class LetterTemplate(models.Model):
    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        SPANISH = "es", _("Spanish")

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="templates",
        help_text="The campaign whose letters are written from this template.",
    )
    language = models.CharField(
        max_length=5,
        choices=Language.choices,
        default=Language.ENGLISH,
        help_text="The letter's language.",
    )
    version = models.PositiveIntegerField(default=1, help_text="Counts up with each new version.")
    is_active = models.BooleanField(
        default=True,
        help_text="New letters use the active template of their campaign and language.",
    )
    subject = models.CharField(
        max_length=200, help_text="The letter's subject line. Placeholders may be used."
    )
    body = models.TextField(
        help_text="The letter between the greeting and the closing, in the template language: "
        "see the list of placeholders beside the editor."
    )
    greeting = models.CharField(
        max_length=120,
        default="{{ official.salutation }},",
        help_text="The greeting line: “{{ official.salutation }},” (Dear Mr. President,) or, in a "
        "Spanish letter, “{{ official.salutation }}:” (Señor Presidente:); each office and holder "
        "has its greeting in every language. Placeholders may be used.",
    )
    closing = models.CharField(
        max_length=60, default="Sincerely", help_text="The word before the student's name."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["campaign", "language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "language", "version"], name="unique_template_version"
            ),
            models.UniqueConstraint(
                fields=["campaign", "language"],
                condition=Q(is_active=True),
                name="one_active_template_per_campaign_language",
                violation_error_message="This campaign already has an active template in this "
                "language. Untick “active”, or use the action “Make active” in the list of "
                "templates, which switches the two in one step.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} ({self.get_language_display()}, v{self.version})"

    def clean(self) -> None:
        errors = {}
        for field_name in ("subject", "greeting", "body"):
            try:
                template_language.validate(getattr(self, field_name) or "")
            except template_language.TemplateSyntaxError as error:
                errors[field_name] = str(error)
        if (missing := self._missing_for_new_language()) is not None:
            errors["is_active"] = languages.refusal(self.language, missing)
        if errors:
            raise ValidationError(errors)

    def _missing_for_new_language(self) -> list | None:
        """An open campaign takes a template in a language it did not offer only when its texts
        are written in that language: what is missing, or None when it may."""
        if not (self.is_active and self.campaign_id and self.campaign.is_open):
            return None
        already = LetterTemplate.objects.filter(
            campaign_id=self.campaign_id, language=self.language, is_active=True
        )
        if already.exists():
            return None  # a new version of a template the campaign already offers
        return languages.missing_translations(self.campaign, self.language) or None


def new_token() -> str:
    return secrets.token_urlsafe(32)


class LetterQuerySet(models.QuerySet):
    def counted(self) -> "LetterQuerySet":
        """Letters that count toward a campaign's goal: submitted or further."""
        return self.exclude(status=Letter.Status.DRAFT)


class Letter(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted, waiting for review")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved")
        SENT = "sent", _("Sent")

    EDITABLE_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED)
    #: What a student tells about themselves (the personal paragraph is the letter's own words).
    AUTHOR_FIELDS = ("first_name", "last_name", "email", "school", "grade", "city", "state")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="letters")
    template = models.ForeignKey(LetterTemplate, on_delete=models.PROTECT, related_name="letters")
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="letters"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)

    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    email = models.EmailField(
        blank=True, help_text="Optional: the student's address for the private link and a copy."
    )
    school = models.CharField(max_length=120)
    grade = models.CharField(max_length=20, blank=True)
    city = models.CharField(max_length=80)
    state = models.CharField(max_length=80)
    personal_paragraph = models.TextField(
        blank=True, validators=[MaxLengthValidator(PERSONAL_PARAGRAPH_MAX_LENGTH)]
    )
    recommendations = models.ManyToManyField(
        Recommendation, through="LetterRecommendation", related_name="letters", blank=True
    )
    recipients = models.ManyToManyField(Official, related_name="letters")
    zip_code = models.CharField(
        max_length=5,
        blank=True,
        help_text="The ZIP code the student's members of Congress were found by (only in "
        "campaigns that write to them); deleted with the letter.",
    )

    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    review_comment = models.TextField(blank=True)
    link_emailed_to = models.EmailField(
        blank=True, help_text="The address the private link was last emailed to (sent once)."
    )
    rendered_text = models.TextField(
        blank=True, help_text="The letter's text as submitted (one section per official)."
    )
    snapshot = models.JSONField(
        null=True,
        blank=True,
        help_text="What the letter was rendered from when submitted: the template, the "
        "officials' names and addresses, the recommendations' words.",
    )

    personal_share = models.FloatField(
        null=True, blank=True, help_text="Share of the letter's words that are the student's own."
    )
    similarity = models.FloatField(
        null=True,
        blank=True,
        help_text="Highest resemblance of the student's own words to another letter's (0 to 1).",
    )
    sketch = models.JSONField(
        null=True, blank=True, help_text="MinHash sketch of the student's own words (numbers only)."
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["campaign", "status"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} — {self.campaign}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    def ordered_recommendations(self) -> list[Recommendation]:
        return [
            choice.recommendation
            for choice in self.recommendation_choices.select_related(
                "recommendation__recommendation_list__source"
            ).order_by("position")
        ]


class LetterRecommendation(models.Model):
    """A recommendation a student chose, at the place the student put it."""

    letter = models.ForeignKey(
        Letter, on_delete=models.CASCADE, related_name="recommendation_choices"
    )
    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["letter", "position"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "position"], name="unique_choice_position"),
            models.UniqueConstraint(fields=["letter", "recommendation"], name="unique_choice"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.recommendation}"


class Batch(models.Model):
    """A coordinator's send: the approved letters of a campaign (or one team) at that moment."""

    class Method(models.TextChoices):
        EMAIL = "email", _("Email")
        PRINT = "print", _("Print and post")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="batches")
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="batches"
    )
    method = models.CharField(max_length=10, choices=Method.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="batches"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    letter_count = models.PositiveIntegerField(default=0)
    pack = models.FileField(upload_to="packs/", blank=True, help_text="The print pack PDF.")
    pack_built_at = models.DateTimeField(null=True, blank=True)
    pack_error = models.TextField(blank=True)
    printed_at = models.DateTimeField(null=True, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)
    reply_received_at = models.DateTimeField(null=True, blank=True)
    reply_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "batches"

    def __str__(self) -> str:
        return f"{self.get_method_display()} batch #{self.pk} — {self.campaign}"


class Delivery(models.Model):
    """One letter to one official: the outbox row. The database, not the broker, is the record."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting for the addressee")  # a copy, sent once they accept
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        PACKED = "packed", _("In the print pack")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        PRINT = "print", _("Print")

    class Role(models.TextChoices):
        TO = "to", _("Addressee")
        CC = "cc", _("Copy")

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="deliveries")
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="deliveries")
    official = models.ForeignKey(Official, on_delete=models.PROTECT, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    role = models.CharField(
        max_length=2,
        choices=Role.choices,
        default=Role.TO,
        help_text="Addressee: the letter is written to them. Copy: named on its cc line, sent its "
        "own copy (a message of its own, so one refusal never holds up or repeats another).",
    )
    to_email = models.EmailField(blank=True, help_text="The official's address when queued.")
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["batch", "pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            # A letter goes to an official once: a second batch cannot send it again.
            models.UniqueConstraint(
                fields=["letter", "official"], name="one_delivery_per_official"
            ),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"Delivery #{self.pk}: letter {self.letter_id} to {self.official_id} ({self.state})"

    def written_to(self) -> Official:
        """The office whose letter this delivery carries: its own, or for a copy (cc) the
        letter's first addressee's."""
        return self.official if self.role == self.Role.TO else self.letter.recipients.first()


class StudentEmail(models.Model):
    """One email to a student (the private link, or the copy of the sent letter): the students'
    outbox row. Written before its task is queued, claimed with a conditional update, retried
    over hours (letters.student_emails). It holds no address and no text: the message is built
    when it is sent, to the letter's address, in the letter's language; it goes with the letter."""

    class Kind(models.TextChoices):
        PRIVATE_LINK = "private_link", _("Private link")
        COPY = "copy", _("Copy of the sent letter")
        # Built by the replies app (registered with letters.student_emails).
        REPLY_NOTICE = "reply_notice", _("A reply was recorded")
        REPLY_QUESTION = "reply_question", _("Did you get a reply?")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="student_emails")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(
        blank=True, help_text="Why the last attempt failed (the student's address left out)."
    )
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"Student email #{self.pk}: {self.kind} of letter {self.letter_id} ({self.state})"


def letter_pdf_path(instance: "LetterPdf", filename: str) -> str:
    return f"letter-pdfs/{instance.letter_id}/{instance.official_id}-{secrets.token_hex(8)}.pdf"


class LetterPdf(models.Model):
    """The PDF of a final letter to one official, rendered once and reused by every batch."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="pdfs")
    official = models.ForeignKey(Official, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=letter_pdf_path)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["letter", "official"], name="one_pdf_per_official")
        ]

    def __str__(self) -> str:
        return f"PDF of letter {self.letter_id} to {self.official_id}"


class LetterBand(models.Model):
    """One band of a letter's sketch, indexed so similar letters are found without a full scan."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="bands")
    band = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["campaign", "band"])]

    def __str__(self) -> str:
        return f"band {self.band} of letter {self.letter_id}"
