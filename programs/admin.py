"""Admin for programme years, enrollments, implementation activities and impact stories."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from libraries.models import Province
from plm_portal.admin import SelectRelatedMixin
from programs.models import Activity, Enrollment, ImpactStory, ProgrammeYear


class LibraryProvinceColumnMixin:
    """A "provinsi" column for rows that belong to a library (list_select_related must hold library__province)."""

    @admin.display(description=_("provinsi"), ordering="library__province")
    def library_province(self, obj: Activity | Enrollment | ImpactStory) -> Province:
        return obj.library.province


@admin.register(ProgrammeYear)
class ProgrammeYearAdmin(admin.ModelAdmin):
    list_display = ("year", "name", "is_national_priority", "enrollment_count")
    list_filter = ("is_national_priority",)
    search_fields = ("year", "name")
    ordering = ("-year",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProgrammeYear]:
        return super().get_queryset(request).annotate(enrollment_count=Count("enrollments"))

    @admin.display(description=_("jumlah perpustakaan"), ordering="enrollment_count")
    def enrollment_count(self, obj: ProgrammeYear) -> int:
        return obj.enrollment_count


@admin.register(Enrollment)
class EnrollmentAdmin(SelectRelatedMixin, LibraryProvinceColumnMixin, admin.ModelAdmin):
    list_display = (
        "library",
        "library_province",
        "programme_year",
        "partner_status",
        "cohort",
        "joined_on",
    )
    list_filter = ("programme_year", "partner_status", "library__province")
    list_select_related = ("library__province", "programme_year")
    search_fields = ("library__name", "cohort")
    autocomplete_fields = ("programme_year", "library")
    date_hierarchy = "joined_on"


@admin.register(Activity)
class ActivityAdmin(LibraryProvinceColumnMixin, admin.ModelAdmin):
    list_display = (
        "title",
        "library",
        "library_province",
        "line_of_work",
        "date",
        "beneficiaries_male",
        "beneficiaries_female",
        "beneficiaries_total",
    )
    list_filter = ("line_of_work", "library__province")
    list_select_related = ("library__province",)
    search_fields = ("title", "library__name", "location", "partners")
    autocomplete_fields = ("library",)
    date_hierarchy = "date"
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("library", "line_of_work", "title", "description")}),
        (_("Waktu dan tempat"), {"fields": ("date", "end_date", "location", "partners")}),
        (_("Penerima manfaat"), {"fields": ("beneficiaries_male", "beneficiaries_female")}),
        (_("Riwayat"), {"classes": ("collapse",), "fields": ("created_at", "updated_at")}),
    )

    @admin.display(description=_("penerima manfaat"))
    def beneficiaries_total(self, obj: Activity) -> int:
        return obj.beneficiaries_total


@admin.register(ImpactStory)
class ImpactStoryAdmin(LibraryProvinceColumnMixin, admin.ModelAdmin):
    list_display = (
        "title",
        "person",
        "library",
        "library_province",
        "line_of_work",
        "date",
        "consent_given",
        "status",
    )
    list_filter = ("status", "consent_given", "line_of_work", "library__province")
    list_select_related = ("library__province", "person")
    search_fields = ("title", "person__full_name", "library__name")
    autocomplete_fields = ("library", "person")
    date_hierarchy = "date"
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("title", "library", "person", "line_of_work", "date")}),
        (_("Cerita"), {"fields": ("story",)}),
        (_("Persetujuan dan publikasi"), {"fields": ("consent_given", "consent_date", "status")}),
        (_("Riwayat"), {"classes": ("collapse",), "fields": ("created_at", "updated_at")}),
    )
