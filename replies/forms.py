"""The coordinator's form to record a reply. The choices come from the coordinator's reach
(coordinate.access), handed in by the view."""

import datetime

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from replies.models import Reply
from replies.uploads import clean_reply_file


class LetterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, letter) -> str:
        team = f" ({letter.team.name})" if letter.team_id else ""
        return f"{letter.full_name}{team} — #{letter.pk}"


class ReplyForm(forms.Form):
    official = forms.ModelChoiceField(queryset=None, label=_("Official"))
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    channel = forms.ChoiceField(
        label=_("How it came"), choices=Reply.Channel.choices, widget=forms.RadioSelect
    )
    scope = forms.ChoiceField(
        label=_("What it answers"), choices=Reply.Scope.choices, widget=forms.RadioSelect
    )
    letter = LetterChoiceField(
        queryset=None, required=False, label=_("The letter (when it answers one letter)")
    )
    team = forms.ModelChoiceField(
        queryset=None, required=False, label=_("The team (when it answers a team's letters)")
    )
    batch = forms.ModelChoiceField(
        queryset=None, required=False, label=_("The batch (when it answers a batch's letters)")
    )
    text = forms.CharField(
        label=_("The reply's text"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Type or paste it, or upload it below. Leave students' names out."),
    )
    file = forms.FileField(
        label=_("The reply as a file"),
        required=False,
        help_text=_(
            "A PDF, or a PNG or JPEG picture of it. Pictures are saved again without their "
            "metadata (place, camera, time)."
        ),
    )
    public = forms.BooleanField(
        label=_("Public: show it on the campaign's page"),
        required=False,
        help_text=_("Only for the official's words to the whole campaign, with no student named."),
    )

    def __init__(
        self,
        *args,
        officials: QuerySet,
        letters: QuerySet,
        teams: QuerySet,
        batches: QuerySet,
        whole_campaign: bool,
        **kwargs,
    ):
        kwargs.setdefault("initial", {"received_on": timezone.localdate(), "channel": "letter"})
        super().__init__(*args, **kwargs)
        self.whole_campaign = whole_campaign
        self.fields["official"].queryset = officials
        self.fields["letter"].queryset = letters
        self.fields["team"].queryset = teams
        self.fields["batch"].queryset = batches
        if not whole_campaign:
            # A team's coordinator answers for their own teams' letters only.
            del self.fields["public"]
            self.fields["scope"].choices = [
                choice for choice in Reply.Scope.choices if choice[0] != Reply.Scope.CAMPAIGN
            ]

    def clean_received_on(self) -> datetime.date:
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The day it was received cannot be in the future."))
        return day

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            self.cleaned_data["upload"] = clean_reply_file(upload)
        return upload

    def clean(self) -> dict:
        data = super().clean()
        scope = data.get("scope")
        for name in ("letter", "team", "batch"):
            if scope == name and not data.get(name):
                self.add_error(name, _("Choose what the reply answers."))
        if (
            not (data.get("text") or "").strip()
            and not data.get("file")
            and "file" not in self.errors
        ):
            self.add_error("text", _("Type the reply's text or upload it as a file."))
        return data
