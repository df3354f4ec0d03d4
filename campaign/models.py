"""What a campaign says and whom it targets."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Source(models.Model):
    class Kind(models.TextChoices):
        LETTER = "letter", _("Letter")
        POLICY_MEMO = "policy_memo", _("Policy memo")
        STATEMENT = "statement", _("Statement")
        NEWS_ARTICLE = "news_article", _("News article")
        WEB_PAGE = "web_page", _("Web page")

    class Precision(models.TextChoices):
        DAY = "day", _("Day")
        MONTH = "month", _("Month")
        YEAR = "year", _("Year")

    slug = models.SlugField(max_length=80, unique=True, help_text="Short stable name used in URLs.")
    title = models.CharField(max_length=300, help_text="The document's own title.")
    publisher = models.CharField(max_length=300, help_text="Who published the document.")
    published_on = models.DateField(
        help_text="Publication date. If only the year is known, use 1 January of that year."
    )
    published_precision = models.CharField(
        max_length=5,
        choices=Precision.choices,
        default=Precision.DAY,
        help_text="How much of the date is known: shown as a full date, a month or a year.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, help_text="What kind of document.")
    url = models.URLField(blank=True, help_text="Where the document can be read, if public.")
    description = models.TextField(blank=True, help_text="One or two sentences about it.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.publisher}, {self.published_display})"

    @property
    def published_display(self) -> str:
        if self.published_precision == self.Precision.YEAR:
            return str(self.published_on.year)
        # Month names and word order follow the language of the page.
        if self.published_precision == self.Precision.MONTH:
            return formats.date_format(self.published_on, gettext("F Y"))
        return formats.date_format(self.published_on, gettext("F j, Y"))

    @property
    def attribution(self) -> str:
        return f"{self.publisher}, “{self.title},” {self.published_display}"


class Fact(models.Model):
    slug = models.SlugField(max_length=80, unique=True, help_text="Short stable name.")
    statement = models.TextField(help_text="The fact in plain words, as students will read it.")
    quote = models.TextField(help_text="The exact words of the source that support the fact.")
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="facts", help_text="Where the quote is from."
    )
    as_of = models.DateField(
        help_text="The date the figure was true (usually the source's date). "
        "Facts older than two years are flagged for review."
    )
    topic = models.CharField(max_length=40, blank=True, help_text="A short topic label.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["topic", "slug"]

    def __str__(self) -> str:
        return self.statement[:80]


class RecommendationList(models.Model):
    slug = models.SlugField(max_length=80, unique=True, help_text="Short stable name.")
    title = models.CharField(max_length=300, help_text="The list's heading in its source.")
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="recommendation_lists",
        help_text="The document the recommendations are quoted from.",
    )
    introduction = models.TextField(blank=True, help_text="The source's words that lead into it.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Recommendation(models.Model):
    recommendation_list = models.ForeignKey(
        RecommendationList,
        on_delete=models.CASCADE,
        related_name="items",
        help_text="The list it belongs to.",
    )
    position = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text="Order within the list, from 1.",
    )
    text = models.TextField(help_text="The recommendation, quoted exactly from the source.")
    detail = models.TextField(blank=True, help_text="The source's further words on it, if any.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["recommendation_list", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation_list", "position"], name="unique_position_in_list"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:80]}"

    @property
    def source(self) -> Source:
        return self.recommendation_list.source


def validate_postal_address(value: str) -> None:
    lines = [line.strip() for line in value.splitlines() if line.strip()]
    if not 2 <= len(lines) <= 6:
        raise ValidationError(
            "Write the address on 2 to 6 lines: the street or building, then the city, state and ZIP."
        )
    if any(len(line) > 80 for line in lines):
        raise ValidationError("Keep each line of the address under 80 characters.")


class OfficialQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date) -> "OfficialQuerySet":
        return self.filter(Q(active_from__isnull=True) | Q(active_from__lte=day)).filter(
            Q(active_to__isnull=True) | Q(active_to__gte=day)
        )

    def active(self) -> "OfficialQuerySet":
        return self.active_on(timezone.localdate())


class Official(models.Model):
    slug = models.SlugField(max_length=80, unique=True, help_text="Short stable name.")
    office = models.CharField(max_length=200, help_text="e.g. “Secretary of State”.")
    name = models.CharField(max_length=200, help_text="The office holder's name.")
    salutation = models.CharField(
        max_length=200,
        help_text="How a letter greets them, without punctuation: “Dear Mr. President”.",
    )
    postal_address = models.TextField(
        validators=[validate_postal_address],
        help_text="Mailing address, one line per line, without the name and office: "
        "2 to 6 lines, e.g. the street, then the city, state and ZIP code.",
    )
    delivery_email = models.EmailField(
        blank=True, help_text="Where email batches go. Leave empty to always send by post."
    )
    active_from = models.DateField(null=True, blank=True, help_text="First day in office.")
    active_to = models.DateField(
        null=True,
        blank=True,
        help_text="Last day in office. After it, students are no longer offered this official; "
        "letters already written keep the name.",
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="officials",
        help_text="The document that places them in office.",
    )

    objects = OfficialQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["office", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_to__gte=models.F("active_from")),
                name="official_term_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.office}"

    def clean(self) -> None:
        if self.active_from and self.active_to and self.active_to < self.active_from:
            raise ValidationError({"active_to": "The last day in office is before the first."})


class CampaignQuerySet(models.QuerySet):
    def public(self) -> "CampaignQuerySet":
        return self.exclude(status=Campaign.Status.DRAFT)

    def open(self) -> "CampaignQuerySet":
        return self.filter(status=Campaign.Status.OPEN)


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class PageSize(models.TextChoices):
        LETTER = "letter", _("US Letter")
        A4 = "A4", "A4"

    slug = models.SlugField(max_length=80, unique=True, help_text="Used in the campaign's URL.")
    title = models.CharField(
        verbose_name=_("Title"),
        max_length=200,
        help_text=_("The campaign's name, as students see it."),
    )
    summary = models.TextField(
        verbose_name=_("Summary"), help_text=_("What the campaign asks for and why, for students.")
    )
    guidance = models.TextField(
        verbose_name=_("Writing help"),
        blank=True,
        help_text=_("Writing help shown beside the letter form: short, practical tips."),
    )
    sample_paragraph = models.TextField(
        verbose_name=_("Sample paragraph"),
        blank=True,
        help_text=_(
            "A short example of a personal paragraph, shown beside the letter form "
            "to help students who find writing hard. Students write their own."
        ),
    )
    status = models.CharField(
        verbose_name=_("Status"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_(
            "Draft: not public. Open: takes letters. Closed: shown, takes no new letters; "
            "review and sending go on."
        ),
    )
    starts_on = models.DateField(
        verbose_name=_("Starts on"), help_text=_("First day letters can be written.")
    )
    ends_on = models.DateField(
        verbose_name=_("Ends on"), null=True, blank=True, help_text=_("Last day, if there is one.")
    )
    letter_goal = models.PositiveIntegerField(
        verbose_name=_("Letter goal"), default=100, help_text=_("How many letters to aim for.")
    )
    paper_letters = models.PositiveIntegerField(
        verbose_name=_("Paper letters counted by hand"),
        default=0,
        help_text=_("Handwritten letters counted by hand, added to the total."),
    )
    targets = models.ManyToManyField(
        Official,
        verbose_name=_("Letters go to"),
        related_name="targeted_by",
        blank=True,
        help_text=_("Whom the letters go to."),
    )
    cc = models.ManyToManyField(
        Official,
        verbose_name=_("Named on the cc line"),
        related_name="copied_on",
        blank=True,
        help_text=_("Named on the letter's cc line."),
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="coordinated_campaigns",
        blank=True,
        help_text="Users who review and send this campaign's letters from their dashboard.",
    )
    review_required = models.BooleanField(
        verbose_name=_("Letters need review"),
        default=True,
        help_text=_("Letters wait for a coordinator's approval before sending."),
    )
    recommendation_lists = models.ManyToManyField(
        RecommendationList,
        verbose_name=_("Recommendation lists"),
        related_name="campaigns",
        blank=True,
        help_text=_("The lists students choose recommendations from."),
    )
    default_recommendations = models.ManyToManyField(
        Recommendation,
        verbose_name=_("Pre-checked recommendations"),
        related_name="default_in_campaigns",
        blank=True,
        help_text=_("Recommendations already ticked when a student opens the form."),
    )
    facts = models.ManyToManyField(
        Fact,
        verbose_name=_("Facts"),
        related_name="campaigns",
        blank=True,
        help_text=_("Facts shown on the campaign's page."),
    )
    page_size = models.CharField(
        verbose_name=_("Page size"),
        max_length=10,
        choices=PageSize.choices,
        default=PageSize.LETTER,
        help_text=_("Paper size."),
    )
    sender_name = models.CharField(
        verbose_name=_("Sender name for email batches"),
        max_length=200,
        blank=True,
        help_text=_("Name email batches are sent from."),
    )
    sender_email = models.EmailField(
        verbose_name=_("Sender address for email batches"),
        blank=True,
        help_text=_("Address email batches are sent from."),
    )
    retention_days = models.PositiveIntegerField(
        default=365,
        help_text="Days after the campaign closes before students' personal data is deleted.",
    )
    closed_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the campaign was last closed."
    )
    purged_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When students' personal data was deleted; only counts remain.",
    )
    archived_letters = models.PositiveIntegerField(
        default=0, editable=False, help_text="Letters counted before their data was deleted."
    )
    archived_statistics = models.JSONField(
        null=True, blank=True, editable=False, help_text="Anonymous counts kept after deletion."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CampaignQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("letters:campaign", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The campaign must end after it starts."})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Team(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=120, help_text="A class or chapter, e.g. “Room 12”.")
    join_code = models.CharField(
        max_length=12, unique=True, help_text="Students type this code to join the team."
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="teams"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["campaign", "name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="unique_team_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.campaign})"


class CampaignInvitation(models.Model):
    """An invitation for another coordinator to share a campaign; the link expires."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(help_text="Who was invited.")
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.campaign}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()
