import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import F, Max, Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from simple_history.admin import SimpleHistoryAdmin

from campaign import officials_csv
from campaign.models import (
    CongressImport,
    Fact,
    Official,
    Recommendation,
    RecommendationList,
    Source,
    Term,
)
from campaign.selectors import latest_congress_import
from config.admin_access import is_administrator
from config.forms import LabelledInlineFormSet


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin, TranslationAdmin):
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
        if self.value() == "yes":  # undated facts too: nothing says they are still true
            return queryset.filter(Q(as_of__lt=cutoff) | Q(as_of__isnull=True))
        if self.value() == "no":
            return queryset.filter(as_of__gte=cutoff)
        return queryset


@admin.register(Fact)
class FactAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["statement", "source", "as_of", "stale", "topic"]
    list_filter = [NeedsReviewFilter, "topic", "source"]
    list_select_related = ["source"]
    search_fields = ["statement", "quote", "slug"]
    autocomplete_fields = ["source"]
    date_hierarchy = "as_of"

    @admin.display(description="Older than 2 years", boolean=True)
    def stale(self, obj: Fact) -> bool:
        return obj.as_of is None or obj.as_of < timezone.localdate() - datetime.timedelta(
            days=365 * NeedsReviewFilter.YEARS
        )


class RecommendationInline(TranslationTabularInline):
    """The items of a list in both languages side by side. A recommendation's further detail
    and the note on its status are on its own page (the "Change" link): with them, the table
    was 1,432 px wide at 1280 and hid its Delete column."""

    model = Recommendation
    formset = LabelledInlineFormSet
    extra = 0
    fields = ["position", "text", "status"]
    ordering = ["position"]
    show_change_link = True
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 4, "cols": 40})}
    }


@admin.register(RecommendationList)
class RecommendationListAdmin(SimpleHistoryAdmin, TranslationAdmin):
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
class RecommendationAdmin(SimpleHistoryAdmin, TranslationAdmin):
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


class NeedsCheckingFilter(admin.SimpleListFilter):
    title = "holder"
    parameter_name = "holder"

    def lookups(self, request, model_admin):
        return [("check", "Needs checking (unknown, unverified or past term)"), ("ok", "Verified")]

    def queryset(self, request, queryset):
        if self.value() not in ("check", "ok"):
            return queryset
        today = timezone.localdate()
        needing = [o.pk for o in queryset.prefetch_related("terms") if o.check_needed_on(today)]
        if self.value() == "check":
            return queryset.filter(pk__in=needing)
        return queryset.exclude(pk__in=needing)


class StateFilter(admin.SimpleListFilter):
    """Seats in Congress by state; offices with no state (the presidency, agencies) together,
    under a name (Django's own filter gives the blank value a link with no text)."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        states = (
            Official.objects.exclude(state="").order_by("state").values_list("state", flat=True)
        )
        return [("none", "No state (national offices)")] + [
            (state, state) for state in dict.fromkeys(states)
        ]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(state="")
        if self.value():
            return queryset.filter(state=self.value())
        return queryset


class TermInline(TranslationStackedInline):
    """Stacked: with the salutation in two languages and the contact details of a member of
    Congress, a table was 1,660 px wide at 1280."""

    model = Term
    formset = LabelledInlineFormSet
    extra = 1
    fields = [
        "name",
        "salutation",
        "starts_on",
        "ends_on",
        "verified_on",
        "verification_source",
        "record",
        "phone",
        "contact_url",
    ]
    readonly_fields = ["member_id"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Term)
class TermAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["name", "official", "starts_on", "ends_on", "verified_on", "record"]
    list_filter = ["record", "official__chamber"]
    readonly_fields = ["member_id"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_select_related = ["official"]
    search_fields = ["name", "official__office"]
    date_hierarchy = "starts_on"


@admin.register(Official)
class OfficialAdmin(SimpleHistoryAdmin, TranslationAdmin):
    change_list_template = "admin/campaign/official/change_list.html"
    list_display = ["office", "addressed_today", "needs", "last_checked", "delivery_email"]
    list_filter = [NeedsCheckingFilter, "chamber", StateFilter]
    search_fields = ["office", "addressed_title", "terms__name", "delivery_email", "slug"]
    inlines = [TermInline]
    #: A seat in Congress is identified by these, which only the import of public data sets.
    readonly_fields = ["chamber", "state", "senate_class", "district"]

    def changelist_view(self, request, extra_context=None):
        latest = latest_congress_import()
        extra_context = {
            **(extra_context or {}),
            "congress_import": latest,
            "congress_age_days": latest.age_in_days() if latest else None,
            "congress_too_old": bool(
                latest and latest.age_in_days() > settings.HOLDER_CHECK_MAX_AGE_DAYS
            ),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def get_queryset(self, request):
        # Oldest check first: the offices most likely to be out of date come to the top.
        return (
            super()
            .get_queryset(request)
            .prefetch_related("terms")
            .annotate(last_check=Max("terms__verified_on"))
            .order_by(F("last_check").asc(nulls_first=True), "office")
        )

    @admin.display(description="Letters written today go to")
    def addressed_today(self, obj: Official) -> str:
        return obj.name

    @admin.display(description="What needs checking")
    def needs(self, obj: Official) -> str:
        return obj.check_needed_on(timezone.localdate()) or "—"

    @admin.display(description="Last checked", ordering="last_check")
    def last_checked(self, obj: Official):
        return obj.last_check

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
        return self._csv_response(queryset.order_by("office"))

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return self._csv_response(Official.objects.order_by("office"))

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


@admin.register(CongressImport)
class CongressImportAdmin(admin.ModelAdmin):
    """What each import of the public data on Congress read and changed (manage.py
    import_congress): read-only, the record of where the holders of the seats come from."""

    list_display = ["snapshot_on", "age", "imported_at", "source"]
    list_filter = ["snapshot_on"]
    search_fields = ["source", "report"]
    readonly_fields = ["snapshot_on", "imported_at", "source", "changes", "report"]
    date_hierarchy = "imported_at"

    @admin.display(description="Age of the data")
    def age(self, obj: CongressImport) -> str:
        return f"{obj.age_in_days()} days"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
