"""Admin of campaigns and teams: who runs a campaign and what state it is in.

These sit over both apps (a campaign opens only with a letter template), so they live here; the
content a campaign quotes (sources, facts, lists, officials) is in campaign/admin.py.
"""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from campaign.models import Campaign, Team
from coordinate import services
from coordinate.forms import CampaignAdminForm


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0
    fields = ["name", "join_code", "coordinator"]
    autocomplete_fields = ["coordinator"]


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin, TranslationAdmin):
    form = CampaignAdminForm
    list_display = ["title", "status", "starts_on", "ends_on", "letter_goal", "review_required"]
    list_filter = ["status", "review_required", "page_size"]
    search_fields = ["title", "summary", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = [
        "targets",
        "cc",
        "coordinators",
        "recommendation_lists",
        "default_recommendations",
        "facts",
    ]
    readonly_fields = ["created_at", "updated_at", "closed_at", "purged_at", "archived_letters"]
    inlines = [TeamInline]

    def save_model(self, request, obj, form, change):
        was_closed = (
            change and Campaign.objects.filter(pk=obj.pk, status=Campaign.Status.CLOSED).exists()
        )
        services.campaign_status_changed(campaign=obj, was_closed=was_closed)
        super().save_model(request, obj, form, change)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "campaign", "join_code", "coordinator", "created_at"]
    list_filter = ["campaign"]
    list_select_related = ["campaign", "coordinator"]
    search_fields = ["name", "join_code", "campaign__title"]
    autocomplete_fields = ["coordinator"]
