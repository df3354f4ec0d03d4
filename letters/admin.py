from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import path
from simple_history.admin import SimpleHistoryAdmin

from campaign.models import Campaign
from config.admin_access import AdministratorsOnlyMixin, ReadOnlyInline, ReadOnlyMixin
from letters import rendering, services, template_language
from letters.models import Batch, Delivery, Letter, LetterRecommendation, LetterTemplate


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["campaign", "language", "is_active", "subject", "greeting", "body", "closing"]
        widgets = {"body": forms.Textarea(attrs={"rows": 22, "spellcheck": "true"})}
        help_texts = {
            "body": "The letter between the greeting and the closing, in the template language: "
            "the placeholders are listed below the letter's fields."
        }


@admin.register(LetterTemplate)
class LetterTemplateAdmin(SimpleHistoryAdmin):
    form = LetterTemplateForm
    change_form_template = "admin/letters/lettertemplate/change_form.html"
    list_display = ["campaign", "language", "version", "is_active", "subject", "updated_at"]
    list_filter = ["is_active", "language", "campaign"]
    list_select_related = ["campaign"]
    search_fields = ["subject", "body", "campaign__title"]
    readonly_fields = ["version", "created_at", "updated_at"]
    actions = ["duplicate", "make_active"]
    # The letter's own fields in a fieldset of their own, laid out full width beside the live
    # preview (admin_template.css); what the template is for on one line above them.
    fieldsets = [
        (None, {"fields": [("campaign", "language"), "is_active"]}),
        (
            "The letter",
            {"fields": ["subject", "greeting", "body", "closing"], "classes": ["letter-fields"]},
        ),
        ("Version", {"fields": [("version", "created_at", "updated_at")], "classes": ["collapse"]}),
    ]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("preview/", view(self.preview), name="letters_lettertemplate_preview"),
            path("preview.pdf", view(self.preview_pdf), name="letters_lettertemplate_preview_pdf"),
            *super().get_urls(),
        ]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "placeholders": template_language.PLACEHOLDERS,
            "loop_placeholders": template_language.LOOP_PLACEHOLDERS,
            "loop_open": template_language.LOOP_OPEN,
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        services.template_next_version_if_changed(template=obj)
        super().save_model(request, obj, form, change)

    @admin.action(description="Duplicate (an inactive copy to work on)", permissions=["add"])
    def duplicate(self, request, queryset):
        for template in queryset:
            copy = services.template_duplicate(template=template)
            self.message_user(request, f"Copied to “{copy}”.", messages.SUCCESS)

    @admin.action(description="Make active (new letters use it)", permissions=["change"])
    def make_active(self, request, queryset):
        if queryset.values("campaign", "language").distinct().count() != queryset.count():
            self.message_user(
                request, "Choose one template per campaign and language.", messages.ERROR
            )
            return
        for template in queryset:
            try:
                services.template_activate(template=template)
            except ValidationError as refused:  # a language the open campaign lacks texts in
                self.message_user(request, " ".join(refused.messages), messages.ERROR)
                continue
            self.message_user(request, f"“{template}” is now active.", messages.SUCCESS)

    def _sample(self, request):
        """The sample letter of the template as typed (not saved), or an error message."""
        if request.method != "POST" or not self.has_view_permission(request):
            raise PermissionDenied
        campaign = Campaign.objects.filter(pk=request.POST.get("campaign") or None).first()
        if campaign is None:
            return None, "Choose a campaign to preview the letter with."
        subject = request.POST.get("subject", "")
        body = request.POST.get("body", "")
        greeting = request.POST.get("greeting", "")
        for field, source in (("Subject", subject), ("Greeting", greeting), ("Body", body)):
            try:
                template_language.validate(source)
            except template_language.TemplateSyntaxError as error:
                return None, f"{field}: {error}"
        language = request.POST.get("language") or LetterTemplate.Language.ENGLISH
        if language not in LetterTemplate.Language.values:
            language = LetterTemplate.Language.ENGLISH
        snapshot = rendering.sample_snapshot(
            campaign,
            subject=subject,
            body=body,
            closing=(request.POST.get("closing") or "Sincerely")[:60],
            language=language,
            greeting=greeting[:120],
        )
        rendered = rendering.render_snapshot(snapshot)  # text only: quick, bounded by validate
        limit = template_language.MAX_OUTPUT_CHARACTERS
        for page in rendered.pages:
            length = len(page.subject) + len(page.salutation)
            if length + template_language.output_length(page.blocks) > limit:
                # Refused before WeasyPrint is given it: a PDF that size ties up the web process.
                return None, f"The sample letter is longer than {limit:,} characters: shorten it."
        return rendered, None

    def preview(self, request):
        rendered, error = self._sample(request)
        if error:
            return JsonResponse({"error": error}, status=400)
        return JsonResponse(
            {
                "html": render_to_string("letters/_letter_pages.html", {"letter": rendered}),
                "text": rendering.letter_text(rendered),
            }
        )

    def preview_pdf(self, request):
        rendered, error = self._sample(request)
        if error:
            return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
        response = HttpResponse(rendering.letter_pdf(rendered), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="template-preview.pdf"'
        return response


class LetterRecommendationInline(ReadOnlyInline):
    model = LetterRecommendation
    fields = ["position", "recommendation"]


@admin.register(Letter)
class LetterAdmin(AdministratorsOnlyMixin, ReadOnlyMixin, admin.ModelAdmin):
    """Students' letters: administrators only, read-only. The private link's token is never
    shown (whoever holds it can change or delete the letter as the student). Deleting goes
    through the service, which deletes the letter's PDFs and print packs too."""

    list_display = ["__str__", "campaign", "team", "school", "state", "status", "created_at"]
    list_filter = ["status", "campaign"]
    list_select_related = ["campaign", "team"]
    search_fields = ["first_name", "last_name", "school", "city"]
    exclude = ["token"]
    inlines = [LetterRecommendationInline]

    def get_deleted_objects(self, objs, request):
        # The deliveries go with the letter (the service deletes them); nobody deletes one alone.
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_model(self, request, obj) -> None:
        services.letter_delete(letter=obj)

    def delete_queryset(self, request, queryset) -> None:
        for letter in queryset:
            services.letter_delete(letter=letter)


class DeliveryInline(ReadOnlyInline):
    model = Delivery
    fields = ["letter", "official", "channel", "state", "attempts", "last_error", "sent_at"]
    show_change_link = True


@admin.register(Batch)
class BatchAdmin(AdministratorsOnlyMixin, ReadOnlyMixin, admin.ModelAdmin):
    """Read-only: batches are started, marked printed or mailed, and retried on the coordinator
    pages, through the services."""

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

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(AdministratorsOnlyMixin, ReadOnlyMixin, admin.ModelAdmin):
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

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
