"""The compose form. Text is normalised before it is validated, so what the student sees counted
in the browser is what the server counts, and nothing invisible reaches a letter."""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from campaign import congress
from campaign.models import Campaign, Official, Recommendation, Team
from config.forms import IdMultipleChoiceField
from letters import fonts
from letters.congress_step import congress_step, initial_choice, step_error
from letters.models import PERSONAL_PARAGRAPH_MAX_LENGTH, Letter, LetterTemplate
from letters.services import LetterContent, campaign_choices, offered_languages

# Bidi embeddings, overrides and isolates can make text display in an order other than the one
# it was typed in; marks (LRM, RLM) are kept, they only help right-to-left text.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def _grade_label(grade: int) -> str:
    return gettext("Grade %(grade)s") % {"grade": grade}


GRADE_CHOICES = [
    ("", _("Prefer not to say")),
    *[(str(grade), lazy(_grade_label, str)(grade)) for grade in range(4, 13)],
    ("college", _("College")),
    ("adult", _("Adult")),
]


def _clean_text(value: str) -> str:
    value = unicodedata.normalize("NFC", value).translate(_BIDI_CONTROLS)
    return value.replace("\r\n", "\n").replace("\r", "\n")


# Characters that show nothing (Unicode's default-ignorable code points, fillers).
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff]"
)


def _shows_something(value: str) -> bool:
    return any(
        unicodedata.category(char)[0] in "LNPS" and not _INVISIBLE.match(char) for char in value
    )


#: How many unprintable characters a message names before it says "and N more".
_NAMED_AT_MOST = 8


def validate_printable(value: str) -> None:
    """Refuse text with characters no font bundled for the PDF prints (emoji, scripts without a
    font), naming them: a letter never prints an empty box (letters/fonts.py)."""
    found = fonts.unprintable_characters(value)
    if not found:
        return
    named = ", ".join(fonts.shown(cluster) for cluster in found[:_NAMED_AT_MOST])
    if len(found) > _NAMED_AT_MOST:
        named = gettext("%(characters)s and %(count)s more") % {
            "characters": named,
            "count": len(found) - _NAMED_AT_MOST,
        }
    message = ngettext(
        "%(characters)s cannot be printed in a letter. Please remove it or write it another way.",
        "%(characters)s cannot be printed in a letter. Please remove them or write them another way.",
        len(found),
    )
    raise ValidationError(message % {"characters": named}, code="unprintable")


class SingleLineField(forms.CharField):
    """One line of text: every run of white space (line breaks included) becomes one space.
    Text that shows nothing (only zero-width or filler characters) counts as empty."""

    def to_python(self, value):
        value = super().to_python(value)
        if "\x00" in value:
            return value  # the null-character validator gives the message
        value = " ".join(_CONTROL.sub(" ", _clean_text(value)).split())
        return value if _shows_something(value) else ""


class ParagraphField(forms.CharField):
    """Paragraphs of text: line breaks kept (as \\n), other control characters removed."""

    def to_python(self, value):
        value = super().to_python(value)
        if "\x00" in value:
            return value
        value = _CONTROL.sub("", _clean_text(value).replace("\t", " "))
        return "\n".join(line.strip() for line in value.split("\n")).strip()


class LetterForm(forms.Form):
    first_name = SingleLineField(
        label=_("First name"), max_length=80, validators=[validate_printable]
    )
    last_name = SingleLineField(
        label=_("Last name"), max_length=80, validators=[validate_printable]
    )
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        help_text=_("Only to send you the private link to your letter and a copy when it is sent."),
    )
    school = SingleLineField(label=_("School"), max_length=120, validators=[validate_printable])
    grade = forms.ChoiceField(label=_("Grade (optional)"), choices=GRADE_CHOICES, required=False)
    city = SingleLineField(label=_("City or town"), max_length=80, validators=[validate_printable])
    state = SingleLineField(
        label=_("State or region"), max_length=80, validators=[validate_printable]
    )
    team_code = SingleLineField(
        label=_("Team code (optional)"),
        max_length=20,
        required=False,
        help_text=_("If your teacher or group gave you a code, type it here."),
    )
    recommendations = IdMultipleChoiceField(
        label=_("Recommendations"),
        queryset=Recommendation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=True,
        error_messages={"required": _("Choose at least one recommendation for your letter.")},
    )
    recommendation_order = forms.CharField(widget=forms.HiddenInput, required=False)
    personal_paragraph = ParagraphField(
        label=_("Why this matters to you (optional)"),
        max_length=PERSONAL_PARAGRAPH_MAX_LENGTH,
        required=False,
        validators=[validate_printable],
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Officials read personal words most closely. Someone or something you know that is "
            "affected? Press Enter to start a new paragraph."
        ),
    )
    letter_language = forms.ChoiceField(
        label=_("Language of the letter"),
        required=False,
        widget=forms.RadioSelect,
        help_text=_("The letter the officials receive is written in this language."),
    )
    # Hidden from people (CSS and aria-hidden); bots that fill every field fill this one too.
    website = forms.CharField(required=False, label=_("Leave this empty"), max_length=200)
    recipients = IdMultipleChoiceField(
        label=_("Send my letter to"),
        queryset=Official.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one official to write to.")},
    )

    zip_code = forms.CharField(
        label=_("Your ZIP code"),
        max_length=12,
        required=False,
        help_text=_(
            "Five digits, like 98101. It finds your members of Congress; it is kept with your "
            "letter, deleted with it, and not printed on it."
        ),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "postal-code", "size": 10}
        ),
    )
    congress_area = forms.ChoiceField(
        label=_("Where you live"), required=False, widget=forms.RadioSelect
    )
    congress_state = forms.ChoiceField(label=_("Your state"), required=False)

    CONGRESS_FIELDS = ("zip_code", "congress_area", "congress_state")

    def __init__(self, *args, campaign: Campaign, team_code_allowed: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self._set_up_congress()
        self.team_code_allowed = team_code_allowed
        self.wrong_team_code = False
        self.fields["recommendations"].queryset = Recommendation.objects.filter(
            recommendation_list__in=campaign.recommendation_lists.all()
        ).select_related("recommendation_list__source")
        if not campaign_choices(campaign=campaign)[0]:  # no lists: nothing to choose
            self.fields["recommendations"].required = False
        self.fields["recipients"].queryset = campaign.targets.prefetch_related("terms")
        # A language is offered once the campaign's texts are written in it (services).
        languages = offered_languages(campaign=campaign)
        names = dict(LetterTemplate.Language.choices)
        self.fields["letter_language"].choices = [
            (code, names.get(code, code)) for code in languages
        ]
        self.offers_languages = len(languages) > 1
        self.fields["recipients"].label_from_instance = lambda o: f"{o.name}, {o.office}"

    def _set_up_congress(self) -> None:
        """The ZIP code step, as the student has filled it in (campaigns that write to their
        members of Congress); other campaigns have no such fields."""
        if not self.campaign.congress_members:
            for name in self.CONGRESS_FIELDS:
                del self.fields[name]
            self.congress = None
            return
        self.fields["recipients"].required = False
        source = self.data if self.is_bound else self.initial
        self.congress = congress_step(
            campaign=self.campaign,
            zip_typed=str(source.get("zip_code") or "")[:40],
            choice=str(source.get("congress_area") or "")[:12],
            state=str(source.get("congress_state") or "")[:4],
        )
        self.fields["congress_area"].choices = [
            (option.key, option.label) for option in self.congress.options
        ]
        self.fields["congress_state"].choices = [
            ("", _("Choose your state")),
            *congress.state_choices(),
        ]

    def clean_zip_code(self) -> str:
        return self.congress.zip_code if self.congress else ""

    def clean_email(self) -> str:
        """An address mail can really be sent to: its domain must encode for DNS (IDNA)."""
        email = self.cleaned_data.get("email", "")
        if email:
            domain = email.rpartition("@")[2]
            try:
                domain.encode("idna")
            except UnicodeError:
                raise ValidationError(_("Enter a valid email address.")) from None
            if any(unicodedata.category(ch) in ("Cf", "Cc", "Zs") for ch in email):
                raise ValidationError(_("Enter a valid email address."))
        return email

    def clean_team_code(self) -> Team | None:
        code = "".join(self.cleaned_data.get("team_code", "").split()).upper().replace("-", "")
        if not code:
            return None
        if not self.team_code_allowed:
            raise ValidationError(
                _(
                    "Too many wrong team codes came from your network. Try again in an hour, "
                    "or leave the code empty."
                )
            )
        team = Team.objects.filter(campaign=self.campaign, join_code=code[:20]).first()
        if team is None:
            self.wrong_team_code = True
            raise ValidationError(
                _("No team in this campaign has that code. Check it with your teacher.")
            )
        return team

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise ValidationError(_("Leave this field empty."))
        return ""

    def clean(self):
        cleaned = super().clean()
        if self.congress is not None:
            problem = step_error(self.campaign, self.congress)
            if problem:
                self.add_error(*problem)
        chosen = cleaned.get("recommendations")
        if chosen is not None:
            by_id = {item.pk: item for item in chosen}
            ordered = []
            # Only as many ids as there are choices are read: anything longer is noise.
            for raw in (cleaned.get("recommendation_order") or "").split(",", len(by_id))[
                : len(by_id)
            ]:
                raw = raw.strip()
                item = by_id.pop(int(raw), None) if raw.isdecimal() and len(raw) < 19 else None
                if item is not None:
                    ordered.append(item)
            # Anything the order field did not mention keeps the lists' own order.
            ordered += sorted(
                by_id.values(), key=lambda r: (r.recommendation_list.title, r.position)
            )
            cleaned["ordered_recommendations"] = ordered
        return cleaned

    def content(self) -> LetterContent:
        data = self.cleaned_data
        return LetterContent(
            author={name: data.get(name) or "" for name in Letter.AUTHOR_FIELDS},
            personal_paragraph=data.get("personal_paragraph", ""),
            recommendations=data.get("ordered_recommendations", []),
            recipients=[
                *(data.get("recipients") or []),
                *(self.congress.members if self.congress else []),
            ],
            team=data.get("team_code"),
            zip_code=self.congress.zip_code if self.congress else "",
        )

    def language_wanted(self) -> str:
        """The letter's language as the form stands: ticked, or the page's."""
        ticked = self["letter_language"].value() if self.is_bound else None
        chosen = ticked or self.initial.get("letter_language") or get_language() or "en"
        return str(chosen)[:2]

    def language(self) -> str:
        return self.cleaned_data.get("letter_language") or (get_language() or "en")[:2]

    @classmethod
    def initial_for(cls, campaign: Campaign) -> dict:
        defaults = list(
            campaign.default_recommendations.order_by("recommendation_list", "position")
        )
        return {
            "letter_language": (get_language() or "en")[:2],
            "recommendations": defaults,
            "recommendation_order": ",".join(str(item.pk) for item in defaults),
            "recipients": list(campaign.targets.all()),
        }

    @classmethod
    def initial_from_letter(cls, letter: Letter) -> dict:
        chosen = letter.ordered_recommendations()
        recipients = list(letter.recipients.all())
        choice, state = initial_choice(recipients)
        return {
            **{name: getattr(letter, name) for name in Letter.AUTHOR_FIELDS},
            "team_code": letter.team.join_code if letter.team else "",
            "recommendations": chosen,
            "recommendation_order": ",".join(str(item.pk) for item in chosen),
            "personal_paragraph": letter.personal_paragraph,
            # Members of Congress come from the ZIP code step, not from the list of officials.
            "recipients": [o for o in recipients if o.chamber == Official.Chamber.NONE],
            "zip_code": letter.zip_code,
            "congress_area": choice,
            "congress_state": state,
        }


class PrivateLinkRequestForm(forms.Form):
    """“Send me my link again”: the address a letter was written with."""

    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("The address you gave when you wrote your letter."),
    )
