"""Forms of the coordinator's pages: the review queue and batches."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaign.access import CampaignScope
from config.forms import IdMultipleChoiceField
from letters.models import Batch, Letter


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

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "return" and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("Write a comment so the student knows what to change."))
        return cleaned


class BatchStartForm(forms.Form):
    method = forms.ChoiceField(
        choices=Batch.Method.choices,
        widget=forms.RadioSelect,
        label=_("How to send"),
        help_text=_("Officials without an email address always go into the print pack."),
    )
    team = forms.ChoiceField(required=False, label=_("Letters of"))

    def __init__(self, *args, scope: CampaignScope, **kwargs):
        super().__init__(*args, **kwargs)
        teams = [(str(team.pk), team.name) for team in scope.teams().order_by("name")]
        self.fields["team"].choices = (
            [("", _("The whole campaign"))] if scope.whole_campaign else []
        ) + teams
        self.fields["team"].required = not scope.whole_campaign


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
