"""Admin of campaigns and teams: who runs a campaign and what state it is in.

These sit over both apps (a campaign opens only with a letter template), so they live here; the
content a campaign quotes (sources, facts, lists, officials) is in campaign/admin.py.

Saves go through the services (`coordinate.services`, `campaign.services`), as on the coordinator
pages, so the admin cannot skip a rule: the opening checks, the status and retention clock, the
last coordinator, the sender domains, fresh join codes. Content editors change only what a campaign
says (coordinate/permissions.py); teams are for administrators only.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from campaign import services as campaign_services
from campaign.models import Campaign, Team
from config.admin_access import AdministratorsOnlyMixin, ReadOnlyInline, is_administrator
from config.forms import add_validation_errors
from coordinate import services
from coordinate.permissions import CONTENT_EDITOR_CAMPAIGN_FIELDS


class TeamInline(ReadOnlyInline):
    model = Team
    fields = ["name", "join_code", "coordinator"]
    show_change_link = True


def _changes(form: forms.ModelForm, cleaned: dict) -> dict:
    """The service's arguments from what the form holds (only the fields the user may edit)."""
    relations = {name: list(cleaned[name]) for name in services.RELATIONS if name in cleaned}
    coordinators = list(cleaned["coordinators"]) if "coordinators" in cleaned else None
    many = {*services.RELATIONS, "coordinators"}
    fields = {name: cleaned[name] for name in form.fields if name in cleaned and name not in many}
    return {"fields": fields, "relations": relations, "coordinators": coordinators}


class CampaignAdminForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = "__all__"  # noqa: DJ007 - the admin narrows them per user (get_readonly_fields)

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                services.campaign_check(campaign=self.instance, **_changes(self, cleaned))
            except ValidationError as error:
                add_validation_errors(self, error)
        return cleaned


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin, TranslationAdmin):
    form = CampaignAdminForm
    list_display = ["title", "status", "starts_on", "ends_on", "letter_goal", "review_required"]
    list_filter = ["status", "review_required", "page_size"]
    search_fields = ["title", "summary", "slug"]
    # Given per user (get_prepopulated_fields): the slug is read-only for content editors.
    prepopulated_fields = {}
    filter_horizontal = [
        "targets",
        "cc",
        "coordinators",
        "recommendation_lists",
        "default_recommendations",
        "facts",
    ]
    readonly_fields = ["created_at", "updated_at", "closed_at", "purged_at", "archived_letters"]

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ["title_en"]} if is_administrator(request) else {}

    def get_exclude(self, request, obj=None):
        # Who coordinates a campaign is not a content editor's business, not even to read.
        return None if is_administrator(request) else ["coordinators"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if is_administrator(request):
            return readonly
        editable = set(CONTENT_EDITOR_CAMPAIGN_FIELDS)
        return readonly + [
            field.name
            for field in [*Campaign._meta.fields, *Campaign._meta.many_to_many]
            if field.editable
            and not field.auto_created
            and field.name not in editable
            and getattr(getattr(field, "translated_field", None), "name", None) not in editable
            and field.name not in readonly
            and field.name != "coordinators"
        ]

    def get_inlines(self, request, obj):
        return [TeamInline] if is_administrator(request) else []

    def save_model(self, request, obj, form, change):
        # Changes apply to the saved campaign (not to `obj`, which on a revert from the history
        # holds every old value, also those the user may not change), through the service.
        campaign = Campaign.objects.get(pk=obj.pk) if change else obj
        services.campaign_update(campaign=campaign, **_changes(form, form.cleaned_data))
        for field in Campaign._meta.concrete_fields:
            setattr(obj, field.attname, getattr(campaign, field.attname))

    def save_related(self, request, form, formsets, change):
        # The relations were set by the service in save_model; only inlines are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def get_deleted_objects(self, objs, request):
        # Batches and deliveries go with the campaign (the service deletes the files first);
        # nobody deletes one alone.
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_model(self, request, obj) -> None:
        services.campaign_delete(campaign=obj)

    def delete_queryset(self, request, queryset) -> None:
        for campaign in queryset:
            services.campaign_delete(campaign=campaign)


@admin.register(Team)
class TeamAdmin(AdministratorsOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "campaign", "join_code", "coordinator", "created_at"]
    list_filter = ["campaign"]
    list_select_related = ["campaign", "coordinator"]
    search_fields = ["name", "join_code", "campaign__title"]
    autocomplete_fields = ["coordinator"]
    fields = ["campaign", "name", "join_code", "coordinator", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        # A join code is drawn at random by the service; a team stays in its campaign.
        return ["join_code", "created_at"] + (["campaign"] if obj is not None else [])

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            campaign_services.team_change(
                team=obj, name=data["name"], coordinator=data["coordinator"]
            )
            return
        team = campaign_services.team_create(
            campaign=data["campaign"], name=data["name"], coordinator=data["coordinator"]
        )
        obj.pk, obj.join_code, obj.created_at = team.pk, team.join_code, team.created_at
