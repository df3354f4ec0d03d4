"""Forms of the coordinator's pages. They parse input; the services hold the rules and their
errors are shown on the form (`config.forms.add_validation_errors`)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaign.models import Campaign, Fact, Official, Recommendation, Team
from config.forms import IdMultipleChoiceField
from coordinate.access import CampaignScope, coordinated_campaigns
from letters.models import Batch, Letter, LetterTemplate


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False,
        label=_("Status"),
        choices=[("", _("All statuses"))]
        + [choice for choice in Letter.Status.choices if choice[0] != Letter.Status.DRAFT],
        initial=Letter.Status.SUBMITTED,
    )
    team = forms.ChoiceField(required=False, label=_("Team"))
    school = forms.CharField(required=False, max_length=120, label=_("School"))
    state = forms.CharField(required=False, max_length=80, label=_("State or region"))

    def __init__(self, *args, scope: CampaignScope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", _("All teams")), ("none", _("No team"))] + [
            (str(team.pk), team.name) for team in scope.teams().order_by("name")
        ]

    def filter(self, letters):
        if not self.is_valid():
            return letters.filter(status=Letter.Status.SUBMITTED)
        data = self.cleaned_data
        if data["status"]:
            letters = letters.filter(status=data["status"])
        if data["team"] == "none":
            letters = letters.filter(team__isnull=True)
        elif data["team"]:
            letters = letters.filter(team_id=int(data["team"]))
        if data["school"]:
            letters = letters.filter(school__icontains=data["school"])
        if data["state"]:
            letters = letters.filter(state__icontains=data["state"])
        return letters


class ReviewForm(forms.Form):
    ACTIONS = [("approve", _("Approve")), ("return", _("Return to the student"))]
    action = forms.ChoiceField(choices=ACTIONS, label=_("Action"))
    letters = IdMultipleChoiceField(
        queryset=Letter.objects.none(),
        required=True,
        error_messages={"required": _("Tick at least one letter.")},
    )
    comment = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Comment for the student"),
        help_text=_("Required when you return a letter: say what to change."),
    )

    def __init__(self, *args, scope: CampaignScope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["letters"].queryset = scope.letters()


class BatchStartForm(forms.Form):
    method = forms.ChoiceField(
        choices=Batch.Method.choices,
        widget=forms.RadioSelect,
        label=_("How to send"),
        help_text=_("Officials without an email address always go into the print pack."),
    )
    team = forms.ChoiceField(required=False, label=_("Letters of"))
    addresses_checked = forms.BooleanField(
        label=_("I have checked the changed addresses above"),
        error_messages={"required": _("Check the changed addresses above, then tick the box.")},
    )

    def __init__(self, *args, scope: CampaignScope, addresses_changed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        teams = [(str(team.pk), team.name) for team in scope.teams().order_by("name")]
        self.fields["team"].choices = (
            [("", _("The whole campaign"))] if scope.whole_campaign else []
        ) + teams
        self.fields["team"].required = not scope.whole_campaign
        if not addresses_changed:
            del self.fields["addresses_checked"]


class PrintStepsForm(forms.Form):
    printed = forms.BooleanField(required=False, label=_("Printed"))
    mailed = forms.BooleanField(required=False, label=_("Mailed"))
    reply_received = forms.BooleanField(required=False, label=_("Reply received"))
    reply_note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Note on the reply"),
    )


class PaperLettersForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["paper_letters"]
        help_texts = {"paper_letters": _("Added to the total shown on the campaign's pages.")}


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name"]
        labels = {"name": _("Team name")}
        help_texts = {"name": _("A class or chapter, e.g. “Room 12” or “Eastwood Key Club”.")}


class CampaignStartForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title of your campaign"))
    start_from = forms.ChoiceField(
        label=_("Start from"),
        widget=forms.RadioSelect,
        help_text=_(
            "A copy takes the campaign's summary, officials, recommendation lists, facts and "
            "letter template; change anything afterwards. The original is not touched."
        ),
    )

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaigns = {str(c.pk): c for c in campaigns}
        self.fields["start_from"].choices = [("", _("An empty campaign"))] + [
            (str(c.pk), _("A copy of “%(title)s”") % {"title": c.title}) for c in campaigns
        ]
        self.fields["start_from"].required = False

    def source(self):
        return self.campaigns.get(self.cleaned_data.get("start_from") or "")


#: The campaign's own texts, written in each language side by side.
TEXTS = ("title", "summary", "guidance", "sample_paragraph")
_LANGUAGE_LABELS = {"en": _("%(field)s in English"), "es": _("%(field)s in Spanish")}


def label_languages(form: forms.ModelForm) -> None:
    """Label each language's field by its field and language: “Summary in Spanish”."""
    for name, field in form.fields.items():
        base, _sep, language = name.rpartition("_")
        if base in TEXTS and language in _LANGUAGE_LABELS:
            original = Campaign._meta.get_field(base)
            field.label = _LANGUAGE_LABELS[language] % {"field": original.verbose_name}
            field.help_text = original.help_text


class CampaignForm(forms.ModelForm):
    template_from = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Use the letter of"),
        help_text=_(
            "Copies that campaign's letter template into yours. Templates are written by "
            "administrators; choose the one that fits."
        ),
    )

    class Meta:
        model = Campaign
        fields = [
            # Each text in English and in Spanish (campaign/translation.py).
            *(f"{name}_{language}" for name in TEXTS for language in ("en", "es")),
            "status",
            "starts_on",
            "ends_on",
            "letter_goal",
            "paper_letters",
            "review_required",
            "sender_name",
            "sender_email",
            "targets",
            "congress_members",
            "cc",
            "recommendation_lists",
            "default_recommendations",
            "facts",
            "page_size",
        ]
        widgets = {
            **{
                f"summary_{language}": forms.Textarea(attrs={"rows": 4})
                for language in ["en", "es"]
            },
            **{
                f"guidance_{language}": forms.Textarea(attrs={"rows": 4})
                for language in ["en", "es"]
            },
            **{
                f"sample_paragraph_{language}": forms.Textarea(attrs={"rows": 3})
                for language in ["en", "es"]
            },
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "targets": forms.CheckboxSelectMultiple,
            "congress_members": forms.RadioSelect,
            "cc": forms.CheckboxSelectMultiple,
            "recommendation_lists": forms.CheckboxSelectMultiple,
            "default_recommendations": forms.CheckboxSelectMultiple,
            "facts": forms.CheckboxSelectMultiple,
        }
        # Labels and help texts come from the model's fields (one place, translated).

    RELATIONS = ["targets", "cc", "recommendation_lists", "default_recommendations", "facts"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        label_languages(self)
        # The seats in Congress (hundreds) are reached through `congress_members`: each
        # student's own members, found by ZIP code.
        offices = Official.objects.filter(chamber=Official.Chamber.NONE).prefetch_related("terms")
        self.fields["targets"].queryset = offices
        self.fields["cc"].queryset = offices
        self.fields["default_recommendations"].queryset = Recommendation.objects.select_related(
            "recommendation_list"
        ).order_by("recommendation_list__title", "position")
        self.fields["default_recommendations"].label_from_instance = lambda r: (
            f"{r.recommendation_list.title} — {r.position}. {r.text}"
        )
        self.fields["targets"].label_from_instance = lambda o: f"{o.name}, {o.office}"
        self.fields["cc"].label_from_instance = lambda o: f"{o.name}, {o.office}"
        self.fields["facts"].label_from_instance = lambda f: f"{f.statement} ({f.source.publisher})"
        self.fields["facts"].queryset = Fact.objects.select_related("source")
        # Public campaigns' letters and the user's own: never another coordinator's draft.
        self.fields["template_from"].queryset = (
            LetterTemplate.objects.filter(is_active=True)
            .filter(
                Q(campaign__status__in=[Campaign.Status.OPEN, Campaign.Status.CLOSED])
                | Q(campaign__in=coordinated_campaigns(user))
            )
            .exclude(campaign=self.instance)
            .select_related("campaign")
            .order_by("campaign__title")
        )
        self.fields["template_from"].label_from_instance = lambda t: (
            f"{t.campaign.title} ({t.get_language_display()}): {t.subject}"
        )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "fields": {name: data[name] for name in self.Meta.fields if name not in self.RELATIONS},
            "relations": {name: list(data[name]) for name in self.RELATIONS},
            "template_from": data.get("template_from"),
        }


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Email of the coordinator to invite"),
        help_text=_("The address of their account on this site: only that account can accept."),
    )
