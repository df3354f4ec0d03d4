from django.contrib import admin
from django.db import models

from campaign.models import (
    Campaign,
    Fact,
    Official,
    Recommendation,
    RecommendationList,
    Source,
    Team,
)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "published_display", "kind"]
    list_filter = ["kind", "publisher"]
    search_fields = ["title", "publisher", "description"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_on"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description="Published", ordering="published_on")
    def published_display(self, obj: Source) -> str:
        return obj.published_display


@admin.register(Fact)
class FactAdmin(admin.ModelAdmin):
    list_display = ["statement", "source", "as_of", "topic"]
    list_filter = ["topic", "source"]
    list_select_related = ["source"]
    search_fields = ["statement", "quote", "slug"]
    autocomplete_fields = ["source"]


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0
    fields = ["position", "text", "detail"]
    ordering = ["position"]


@admin.register(RecommendationList)
class RecommendationListAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "item_count"]
    list_filter = ["source"]
    list_select_related = ["source"]
    search_fields = ["title", "introduction", "items__text"]
    autocomplete_fields = ["source"]
    inlines = [RecommendationInline]

    @admin.display(description="Items")
    def item_count(self, obj: RecommendationList) -> int:
        return obj.items.count()


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["text", "recommendation_list", "position"]
    list_filter = ["recommendation_list"]
    list_select_related = ["recommendation_list"]
    search_fields = ["text", "detail"]


@admin.register(Official)
class OfficialAdmin(admin.ModelAdmin):
    list_display = ["name", "office", "delivery_email", "active_from", "active_to"]
    list_filter = ["office", "active_to"]
    search_fields = ["name", "office", "delivery_email"]


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0
    fields = ["name", "join_code", "coordinator"]
    autocomplete_fields = ["coordinator"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
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
    readonly_fields = ["created_at", "updated_at"]
    inlines = [TeamInline]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "campaign", "join_code", "coordinator", "created_at"]
    list_filter = ["campaign"]
    list_select_related = ["campaign", "coordinator"]
    search_fields = ["name", "join_code", "campaign__title"]
    autocomplete_fields = ["coordinator"]
