from django.contrib import admin

from letters.models import Letter, LetterRecommendation, LetterTemplate


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    list_display = ["campaign", "language", "version", "is_active", "subject", "updated_at"]
    list_filter = ["is_active", "language", "campaign"]
    list_select_related = ["campaign"]
    search_fields = ["subject", "body", "campaign__title"]
    readonly_fields = ["created_at", "updated_at"]


class LetterRecommendationInline(admin.TabularInline):
    model = LetterRecommendation
    extra = 0
    fields = ["position", "recommendation"]
    raw_id_fields = ["recommendation"]


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ["__str__", "campaign", "team", "school", "state", "status", "created_at"]
    list_filter = ["status", "campaign"]
    list_select_related = ["campaign", "team"]
    search_fields = ["first_name", "last_name", "school", "city"]
    readonly_fields = [
        "token",
        "rendered_text",
        "snapshot",
        "created_at",
        "updated_at",
        "submitted_at",
        "approved_at",
        "sent_at",
    ]
    raw_id_fields = ["template", "team"]
    filter_horizontal = ["recipients"]
    inlines = [LetterRecommendationInline]
