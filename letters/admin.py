from django.contrib import admin

from letters.models import Batch, Delivery, Letter, LetterRecommendation, LetterTemplate


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


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    fields = ["letter", "official", "channel", "state", "attempts", "last_error", "sent_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "campaign",
        "team",
        "method",
        "letter_count",
        "created_by",
        "created_at",
    ]
    list_filter = ["method", "campaign"]
    list_select_related = ["campaign", "team", "created_by"]
    search_fields = ["campaign__title", "team__name"]
    readonly_fields = [
        "campaign",
        "team",
        "method",
        "created_by",
        "created_at",
        "letter_count",
        "pack",
        "pack_built_at",
        "pack_error",
    ]
    inlines = [DeliveryInline]

    def has_add_permission(self, request) -> bool:
        return False  # batches are started by coordinators, from the dashboard


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["pk", "batch", "official", "channel", "state", "attempts", "sent_at"]
    list_filter = ["state", "channel", "batch__campaign"]
    list_select_related = ["batch__campaign", "official"]
    search_fields = ["message_id", "to_email", "last_error"]
    readonly_fields = [
        "batch",
        "letter",
        "official",
        "channel",
        "to_email",
        "state",
        "attempts",
        "last_error",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "message_id",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False
