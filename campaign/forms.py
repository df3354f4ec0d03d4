from django import forms
from django.utils.translation import gettext_lazy as _

from campaign.models import Campaign, Fact, Official, Recommendation, Team


class PaperLettersForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["paper_letters"]
        labels = {"paper_letters": _("Paper letters counted by hand")}
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
            "title",
            "summary",
            "guidance",
            "sample_paragraph",
            "status",
            "starts_on",
            "ends_on",
            "letter_goal",
            "paper_letters",
            "review_required",
            "sender_name",
            "sender_email",
            "targets",
            "cc",
            "recommendation_lists",
            "default_recommendations",
            "facts",
            "page_size",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "guidance": forms.Textarea(attrs={"rows": 4}),
            "sample_paragraph": forms.Textarea(attrs={"rows": 3}),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "targets": forms.CheckboxSelectMultiple,
            "cc": forms.CheckboxSelectMultiple,
            "recommendation_lists": forms.CheckboxSelectMultiple,
            "default_recommendations": forms.CheckboxSelectMultiple,
            "facts": forms.CheckboxSelectMultiple,
        }
        labels = {
            "title": _("Title"),
            "summary": _("Summary"),
            "guidance": _("Writing help"),
            "sample_paragraph": _("Sample paragraph"),
            "status": _("Status"),
            "starts_on": _("Starts on"),
            "ends_on": _("Ends on"),
            "letter_goal": _("Letter goal"),
            "paper_letters": _("Paper letters counted by hand"),
            "review_required": _("Letters need review"),
            "recommendation_lists": _("Recommendation lists"),
            "facts": _("Facts"),
            "page_size": _("Page size"),
            "targets": _("Letters go to"),
            "cc": _("Named on the cc line"),
            "default_recommendations": _("Pre-checked recommendations"),
            "sender_name": _("Sender name for email batches"),
            "sender_email": _("Sender address for email batches"),
        }
        help_texts = {
            "title": _("The campaign's name, as students see it."),
            "summary": _("What the campaign asks for and why, for students."),
            "guidance": _("Writing help shown beside the letter form: short, practical tips."),
            "sample_paragraph": _(
                "A short example of a personal paragraph, shown beside the letter form to help "
                "students who find writing hard. Students write their own."
            ),
            "status": _(
                "Draft: not public. Open: takes letters. Closed: shown, takes no new letters; "
                "review and sending go on."
            ),
            "starts_on": _("First day letters can be written."),
            "ends_on": _("Last day, if there is one."),
            "letter_goal": _("How many letters to aim for."),
            "paper_letters": _("Handwritten letters counted by hand, added to the total."),
            "review_required": _("Letters wait for a coordinator's approval before sending."),
            "targets": _("Whom the letters go to."),
            "cc": _("Named on the letter's cc line."),
            "recommendation_lists": _("The lists students choose recommendations from."),
            "default_recommendations": _(
                "Recommendations already ticked when a student opens the form."
            ),
            "facts": _("Facts shown on the campaign's page."),
            "sender_name": _("Name email batches are sent from."),
            "sender_email": _("Address email batches are sent from."),
            "page_size": _("Paper size."),
        }

    RELATIONS = ["targets", "cc", "recommendation_lists", "default_recommendations", "facts"]

    def __init__(self, *args, **kwargs):
        from letters.models import LetterTemplate

        super().__init__(*args, **kwargs)
        active = Official.objects.active()
        self.fields["targets"].queryset = active
        self.fields["cc"].queryset = active
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
        self.fields["template_from"].queryset = (
            LetterTemplate.objects.filter(is_active=True)
            .exclude(campaign=self.instance)
            .select_related("campaign")
            .order_by("campaign__title")
        )
        self.fields["template_from"].label_from_instance = lambda t: (
            f"{t.campaign.title} ({t.get_language_display()}): {t.subject}"
        )

    def clean(self):
        cleaned = super().clean()
        lists = cleaned.get("recommendation_lists")
        defaults = cleaned.get("default_recommendations")
        if lists is not None and defaults is not None:
            allowed = {item.pk for item in lists}
            if any(item.recommendation_list_id not in allowed for item in defaults):
                self.add_error(
                    "default_recommendations",
                    _("Pre-check only recommendations from the chosen lists."),
                )
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "fields": {name: data[name] for name in self.Meta.fields if name not in self.RELATIONS},
            "relations": {name: list(data[name]) for name in self.RELATIONS},
            "template_from": data.get("template_from"),
        }


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email of the coordinator to invite"))
