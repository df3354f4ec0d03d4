import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from campaign import officials_csv
from campaign.models import (
    Fact,
    Official,
    Recommendation,
    RecommendationList,
    Source,
)
from config.admin_access import is_administrator


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "publisher", "published_display", "kind"]
    list_filter = ["kind", "publisher"]
    search_fields = ["title", "publisher", "description"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_on"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description="Published", ordering="published_on")
    def published_display(self, obj: Source) -> str:
        return obj.published_display


class NeedsReviewFilter(admin.SimpleListFilter):
    """Facts whose figures are more than two years old, to check before they reach a letter."""

    title = "needs review"
    parameter_name = "needs_review"
    YEARS = 2

    def lookups(self, request, model_admin):
        return [("yes", f"Older than {self.YEARS} years"), ("no", "Recent")]

    def queryset(self, request, queryset):
        cutoff = timezone.localdate() - datetime.timedelta(days=365 * self.YEARS)
        if self.value() == "yes":
            return queryset.filter(as_of__lt=cutoff)
        if self.value() == "no":
            return queryset.filter(as_of__gte=cutoff)
        return queryset


@admin.register(Fact)
class FactAdmin(SimpleHistoryAdmin):
    list_display = ["statement", "source", "as_of", "stale", "topic"]
    list_filter = [NeedsReviewFilter, "topic", "source"]
    list_select_related = ["source"]
    search_fields = ["statement", "quote", "slug"]
    autocomplete_fields = ["source"]
    date_hierarchy = "as_of"

    @admin.display(description="Older than 2 years", boolean=True)
    def stale(self, obj: Fact) -> bool:
        return obj.as_of < timezone.localdate() - datetime.timedelta(
            days=365 * NeedsReviewFilter.YEARS
        )


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0
    fields = ["position", "text", "detail"]
    ordering = ["position"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 60})}
    }


@admin.register(RecommendationList)
class RecommendationListAdmin(SimpleHistoryAdmin):
    list_display = ["title", "source", "item_count"]
    list_filter = ["source"]
    list_select_related = ["source"]
    search_fields = ["title", "introduction", "items__text"]
    autocomplete_fields = ["source"]
    inlines = [RecommendationInline]

    @admin.display(description="Items")
    def item_count(self, obj: RecommendationList) -> int:
        return obj.items.count()

    def save_formset(self, request, form, formset, change):
        if formset.model is not Recommendation:
            return super().save_formset(request, form, formset, change)
        # Reordering swaps positions, which the unique (list, position) constraint forbids
        # half-way; move every item out of the way first, then write the new positions.
        typed = [f.cleaned_data.get("position") or 0 for f in formset.forms if f.has_changed()]
        items = Recommendation.objects.filter(recommendation_list=form.instance)
        highest = max([*typed, *items.values_list("position", flat=True), 0])
        with transaction.atomic():
            # Above every old and new position, so no step of the reordering collides.
            items.update(position=F("position") + highest + 1)
            for inline_form in formset.initial_forms:
                if inline_form in formset.deleted_forms:
                    continue
                inline_form.instance.save()
            formset.save()


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["text", "recommendation_list", "position"]
    list_filter = ["recommendation_list"]
    list_select_related = ["recommendation_list"]
    search_fields = ["text", "detail"]
    ordering = ["recommendation_list", "position"]


class OfficialImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: " + ", ".join(officials_csv.COLUMNS) + ". Dates as 2025-01-20. "
        "Rows are matched by slug: new slugs are added, known ones updated.",
    )


class ActiveFilter(admin.SimpleListFilter):
    title = "in office"
    parameter_name = "in_office"

    def lookups(self, request, model_admin):
        return [("yes", "In office today"), ("no", "Left office or not yet in office")]

    def queryset(self, request, queryset):
        active = Official.objects.active().values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=active)
        if self.value() == "no":
            return queryset.exclude(pk__in=active)
        return queryset


@admin.register(Official)
class OfficialAdmin(SimpleHistoryAdmin):
    change_list_template = "admin/campaign/official/change_list.html"
    list_display = ["name", "office", "delivery_email", "active_from", "active_to"]
    list_filter = [ActiveFilter, "office"]
    search_fields = ["name", "office", "delivery_email", "slug"]
    actions = ["export_csv"]
    #: Where letters are sent: changed by administrators only (coordinate/permissions.py), and
    #: every change is in the official's history (the batch page shows recent ones).
    ADMINISTRATOR_ONLY_FIELDS = ["delivery_email", "postal_address"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if is_administrator(request):
            return readonly
        return readonly + [name for name in self.ADMINISTRATOR_ONLY_FIELDS if name not in readonly]

    def has_add_permission(self, request) -> bool:
        # An office needs its addresses, which only an administrator sets.
        return is_administrator(request) and super().has_add_permission(request)

    def save_model(self, request, obj, form, change):
        if change and not is_administrator(request):
            # A revert from the history brings back every old value: not the addresses.
            saved = Official.objects.get(pk=obj.pk)
            for name in self.ADMINISTRATOR_ONLY_FIELDS:
                setattr(obj, name, getattr(saved, name))
        super().save_model(request, obj, form, change)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="campaign_official_import"),
            path("export/", view(self.export_view), name="campaign_official_export"),
            *super().get_urls(),
        ]

    def _csv_response(self, officials) -> HttpResponse:
        response = HttpResponse(officials_csv.export_officials(officials), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="officials.csv"'
        return response

    @admin.action(description="Export selected officials as CSV")
    def export_csv(self, request, queryset):
        return self._csv_response(queryset.order_by("office", "name"))

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return self._csv_response(Official.objects.order_by("office", "name"))

    def import_view(self, request):
        # An import sets delivery addresses: an administrator's act.
        if not (is_administrator(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = OfficialImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            try:
                content = officials_csv.read_upload(form.cleaned_data["file"])
                result = officials_csv.import_officials(content)
            except officials_csv.ImportFailed as failure:
                errors = failure.errors
            else:
                self.message_user(
                    request,
                    f"Imported: {result.created} new, {result.updated} updated.",
                    messages.SUCCESS,
                )
                return redirect("admin:campaign_official_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": "Import officials from CSV",
            "form": form,
            "errors": errors,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/campaign/official/import.html", context)
