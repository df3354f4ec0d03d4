"""What a campaign says and whom it targets.

Its texts are kept in English and Spanish, and its models' history is recorded, as registered in
campaign/translation.py (the history after the translations, so it keeps every language)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def display_date(day: datetime.date | None, precision: str) -> str:
    """A date shown only as far as it is known, in the language of the page."""
    if day is None or precision == Source.Precision.UNKNOWN:
        return gettext("undated")
    if precision == Source.Precision.YEAR:
        return str(day.year)
    if precision == Source.Precision.MONTH:
        return formats.date_format(day, gettext("F Y"))
    return formats.date_format(day, gettext("F j, Y"))


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
        UNKNOWN = "unknown", _("Undated")

    slug = models.SlugField(max_length=80, unique=True, help_text="Short stable name used in URLs.")
    title = models.CharField(max_length=300, help_text="The document's own title.")
    publisher = models.CharField(max_length=300, help_text="Who published the document.")
    published_on = models.DateField(
        null=True,
        blank=True,
        help_text="Publication date. If only the year is known, use 1 January of that year; "
        "leave empty for an undated document.",
    )
    published_precision = models.CharField(
        max_length=7,
        choices=Precision.choices,
        default=Precision.DAY,
        help_text="How much of the date is known: shown as a full date, a month or a year.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, help_text="What kind of document.")
    url = models.URLField(blank=True, help_text="Where the document can be read, if public.")
    description = models.TextField(blank=True, help_text="One or two sentences about it.")

    class Meta:
        ordering = ["-published_on", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.publisher}, {self.published_display})"

    def clean(self) -> None:
        undated = self.published_precision == self.Precision.UNKNOWN
        if undated != (self.published_on is None):
            raise ValidationError(
                {"published_on": "Give a date, or choose “Undated” and leave the date empty."}
            )

    @property
    def published_display(self) -> str:
        return display_date(self.published_on, self.published_precision)

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
        null=True,
        blank=True,
        help_text="The date the figure was true (usually the source's date); empty when the "
        "source is undated. Facts older than two years are flagged for review.",
    )
    as_of_precision = models.CharField(
        max_length=7,
        choices=Source.Precision.choices,
        default=Source.Precision.DAY,
        help_text="How much of the as-of date is known; never more than the source gives.",
    )
    note = models.TextField(
        blank=True,
        help_text="Shown with the fact: e.g. “Sources differ: …” or what changed since.",
    )
    topic = models.CharField(max_length=40, blank=True, help_text="A short topic label.")

    class Meta:
        ordering = ["topic", "slug"]

    def __str__(self) -> str:
        return self.statement[:80]

    def clean(self) -> None:
        if self.source_id is None:
            return
        source = self.source
        if self.as_of is None or source.published_on is None:
            if (self.as_of is None) != (self.as_of_precision == Source.Precision.UNKNOWN):
                raise ValidationError({"as_of": "An undated fact has no date, and only then."})
            return
        if self.as_of > source.published_on + _precision_span(source.published_precision):
            raise ValidationError({"as_of": "A fact cannot be true as of after its source."})
        if _PRECISION_RANK[self.as_of_precision] > _PRECISION_RANK[source.published_precision]:
            raise ValidationError(
                {"as_of_precision": "The source does not give the date that precisely."}
            )

    @property
    def as_of_display(self) -> str:
        return display_date(self.as_of, self.as_of_precision)


_PRECISION_RANK = {"unknown": 0, "year": 1, "month": 2, "day": 3}


def _precision_span(precision: str) -> datetime.timedelta:
    """How far past its stored date a date of this precision may reach (1 Jan 2020 is 2020)."""
    return {"year": datetime.timedelta(days=365), "month": datetime.timedelta(days=30)}.get(
        precision, datetime.timedelta(0)
    )


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

    class Status(models.TextChoices):
        CURRENT = "current", _("Can be asked today")
        PAST_DEADLINE = "past_deadline", _("Its deadline has passed")
        NOT_AN_ASK = "not_an_ask", _("Not an ask of these officials")

    text = models.TextField(help_text="The recommendation, quoted exactly from the source.")
    detail = models.TextField(blank=True, help_text="The source's further words on it, if any.")
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.CURRENT,
        help_text="Only asks that can be made today are offered to students; the others are "
        "still quoted on the campaign page, greyed, with the note below.",
    )
    status_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Why it is not offered, in a few words: “Its deadline, 2023, has passed.”",
    )

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

    @property
    def is_current(self) -> bool:
        return self.status == self.Status.CURRENT


def validate_postal_address(value: str) -> None:
    lines = [line.strip() for line in value.splitlines() if line.strip()]
    if not 2 <= len(lines) <= 6:
        raise ValidationError(
            "Write the address on 2 to 6 lines: the street or building, then the city, state and ZIP."
        )
    if any(len(line) > 80 for line in lines):
        raise ValidationError("Keep each line of the address under 80 characters.")


@dataclass(frozen=True)
class Addressee:
    """Whom a letter to an office is addressed to on a given day."""

    name: str  # the holder's name, or the office's title when no holder can be vouched for
    salutation: str
    by_title: bool  # True: no holder the app can vouch for; the letter goes to the office


class Official(models.Model):
    """An office letters are written to (the President, the Secretary of State, a Senate seat):
    its address and how a letter greets it. The people who hold it are its `Term`s.

    A seat in Congress (a Senate seat, a House district) is kept by the import of public data
    (campaign/congress_import.py): its chamber, state, class or district identify it."""

    class Chamber(models.TextChoices):
        NONE = "", _("Not a seat in Congress")
        SENATE = "senate", _("Senate")
        HOUSE = "house", _("House of Representatives")

    slug = models.SlugField(max_length=80, unique=True, help_text="Short stable name.")
    office = models.CharField(max_length=200, help_text="e.g. “Secretary of State”.")
    addressed_title = models.CharField(
        max_length=200,
        help_text="How the address names the office when no holder can be vouched for: "
        "“The President of the United States”.",
    )
    salutation = models.CharField(
        max_length=200,
        help_text="How a letter greets the office when no holder can be vouched for, without "
        "punctuation: “Dear President of the United States”.",
    )
    postal_address = models.TextField(
        validators=[validate_postal_address],
        help_text="Mailing address, one line per line, without the name and office: "
        "2 to 6 lines, e.g. the street, then the city, state and ZIP code.",
    )
    delivery_email = models.EmailField(
        blank=True, help_text="Where email batches go. Leave empty to always send by post."
    )
    chamber = models.CharField(
        max_length=6,
        choices=Chamber.choices,
        blank=True,
        default=Chamber.NONE,
        help_text="For a seat in Congress, set by the import of public data.",
    )
    state = models.CharField(
        max_length=2, blank=True, help_text="A seat's state or territory (postal code)."
    )
    senate_class = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="A Senate seat's class (1, 2 or 3)."
    )
    district = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="A House seat's district; 0 for an at-large seat."
    )

    class Meta:
        ordering = ["office"]
        verbose_name = "office"
        indexes = [models.Index(fields=["chamber", "state", "district"])]

    def __str__(self) -> str:
        return self.office

    def holder_on(self, day: datetime.date) -> "Term | None":
        """The holder the app can vouch for on `day`: their term covers it, and either the term
        had ended when it was last checked or that check is recent enough."""
        if self.pk is None:  # an example office (template previews) has no holders
            return None
        oldest_check = day - datetime.timedelta(days=settings.HOLDER_CHECK_MAX_AGE_DAYS)
        for term in sorted(self.terms.all(), key=lambda t: t.starts_on, reverse=True):
            if term.covers(day) and (term.is_closed or term.verified_on >= oldest_check):
                return term
        return None

    def addressee_on(self, day: datetime.date) -> Addressee:
        holder = self.holder_on(day)
        if holder is None:
            return Addressee(name=self.addressed_title, salutation=self.salutation, by_title=True)
        return Addressee(name=holder.name, salutation=holder.salutation, by_title=False)

    def check_needed_on(self, day: datetime.date) -> str:
        """ "" when a holder is vouched for on `day`; otherwise why letters go to the title."""
        if self.holder_on(day) is not None:
            return ""
        current = [term for term in self.terms.all() if term.covers(day)]
        if current:
            return gettext("The holder's record was last checked too long ago.")
        if any(term.starts_on <= day for term in self.terms.all()):
            return gettext("The last known holder's term has ended; the new holder is unknown.")
        return gettext("No holder is recorded.")

    @property
    def name(self) -> str:
        """Who a letter written today is addressed to (a holder's name, or the office)."""
        return self.addressee_on(timezone.localdate()).name


class Term(models.Model):
    """A person's time in an office, and when and how someone last checked it."""

    class Record(models.TextChoices):
        PUBLIC_RECORD = "public_record", _("Public record")
        DATA_IMPORT = "data_import", _("Imported public data")
        ADMINISTRATOR = "administrator", _("Checked by an administrator")

    official = models.ForeignKey(
        Official, on_delete=models.CASCADE, related_name="terms", help_text="The office held."
    )
    name = models.CharField(max_length=200, help_text="The holder's name.")
    salutation = models.CharField(
        max_length=200, help_text="How a letter greets them, without punctuation: “Dear Mr. …”."
    )
    starts_on = models.DateField(help_text="First day in office.")
    ends_on = models.DateField(
        null=True, blank=True, help_text="Last day in office; empty while they hold it."
    )
    verified_on = models.DateField(
        help_text="When someone last checked that this record is right. A holder whose term "
        "is still open is addressed by name only while this check is recent."
    )
    verification_source = models.CharField(
        max_length=300, help_text="How it was checked: the public record, data file, web page."
    )
    record = models.CharField(
        max_length=20,
        choices=Record.choices,
        default=Record.ADMINISTRATOR,
        help_text="Where this record comes from.",
    )
    member_id = models.CharField(
        max_length=20,
        blank=True,
        help_text="The person's identifier in the imported data (the Bioguide ID), which a new "
        "import finds them by.",
    )
    phone = models.CharField(max_length=30, blank=True, help_text="Office telephone, if known.")
    contact_url = models.URLField(
        blank=True, help_text="The holder's contact form on the web, if they have one."
    )

    class Meta:
        ordering = ["official", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="term_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        end = self.ends_on.isoformat() if self.ends_on else "…"
        return f"{self.name}, {self.official.office} ({self.starts_on.isoformat()} to {end})"

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The last day in office is before the first."})

    def covers(self, day: datetime.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)

    @property
    def is_closed(self) -> bool:
        """The term had ended when it was last checked: nothing about it can change."""
        return self.ends_on is not None and self.ends_on <= self.verified_on


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

    class CongressMembers(models.TextChoices):
        NONE = "", _("None")
        SENATORS = "senators", _("Their two senators")
        REPRESENTATIVE = "representative", _("Their representative")
        BOTH = "both", _("Their senators and their representative")

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
    congress_members = models.CharField(
        verbose_name=_("The student's members of Congress"),
        max_length=14,
        choices=CongressMembers.choices,
        blank=True,
        default=CongressMembers.NONE,
        help_text=_(
            "Letters go to each student's own members of Congress, found by the ZIP code the "
            "student types (as well as to the officials chosen above, if any). Letters to "
            "Congress go by post."
        ),
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
    # history: registered in campaign/translation.py, with every language of the texts.

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

    @property
    def writes_to_senators(self) -> bool:
        return self.congress_members in (self.CongressMembers.SENATORS, self.CongressMembers.BOTH)

    @property
    def writes_to_representative(self) -> bool:
        return self.congress_members in (
            self.CongressMembers.REPRESENTATIVE,
            self.CongressMembers.BOTH,
        )


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
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text="The email's language when the invited address has no account yet (the "
        "inviter's); an account's own language wins.",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.campaign}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class ZipCodeArea(models.Model):
    """A ZIP code area and one congressional district it overlaps (imported public data: a ZIP
    code can overlap several districts, and a few overlap two states)."""

    zip_code = models.CharField(max_length=5, db_index=True)
    state = models.CharField(max_length=2)
    district = models.PositiveSmallIntegerField(help_text="0 for an at-large seat.")

    class Meta:
        ordering = ["zip_code", "state", "district"]
        constraints = [
            models.UniqueConstraint(
                fields=["zip_code", "state", "district"], name="unique_zip_code_district"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.zip_code}: {self.state}-{self.district}"


class CongressImport(models.Model):
    """One run of the import of public data on Congress and the presidency: what it read, the
    date of that data, and what it changed."""

    imported_at = models.DateTimeField(auto_now_add=True)
    snapshot_on = models.DateField(help_text="The date of the data (its snapshot).")
    source = models.CharField(max_length=500, help_text="Where the files were read from.")
    changes = models.JSONField(default=dict, help_text="Counts of what the import changed.")
    report = models.TextField(blank=True, help_text="What the import changed, in words.")

    class Meta:
        ordering = ["-imported_at"]
        get_latest_by = "imported_at"

    def __str__(self) -> str:
        return (
            f"Congress data of {self.snapshot_on.isoformat()}, imported {self.imported_at:%Y-%m-%d}"
        )

    def age_in_days(self, today: datetime.date | None = None) -> int:
        return ((today or timezone.localdate()) - self.snapshot_on).days
