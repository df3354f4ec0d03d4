from django import forms

from campaign.models import Campaign, Team


class PaperLettersForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["paper_letters"]
        labels = {"paper_letters": "Paper letters counted by hand"}
        help_text = {"paper_letters": "Added to the total shown on the campaign's pages."}


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name"]
        labels = {"name": "Team name"}
        help_texts = {"name": "A class or chapter, e.g. “Room 12” or “Eastwood Key Club”."}
