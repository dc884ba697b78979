"""Admin for programme years, enrollments, implementation activities and impact stories."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from libraries.models import Province
from plm_portal.admin import SelectRelatedMixin
from programs.models import (
    Activity,
    ActivityPhoto,
    Enrollment,
    EnrollmentChange,
    ImpactStory,
    ProgrammeYear,
)
from programs.services.activities import delete_activity, save_activity
from programs.services.enrollment import change_enrollment, enroll_library
from programs.services.stories import save_story


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


class EnrollmentChangeInline(admin.TabularInline):
    """An enrolment's history, read-only: rows are written by programs.services.enrollment only."""

    model = EnrollmentChange
    fields = ("changed_at", "partner_status", "cohort", "joined_on", "note", "changed_by")
    readonly_fields = fields
    ordering = ("-changed_at", "-pk")
    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[EnrollmentChange]:
        # Each row's title prints __str__, which names the enrolment's library and year.
        return (
            super()
            .get_queryset(request)
            .select_related("changed_by", "enrollment__library", "enrollment__programme_year")
        )

    def has_add_permission(self, request: HttpRequest, obj: Enrollment | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Enrollment | None = None) -> bool:
        return False


class EnrollmentAdminForm(forms.ModelForm):
    note = forms.CharField(
        label=_("Catatan perubahan"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Disimpan di riwayat bersama perubahan status, angkatan atau tanggal."),
    )

    class Meta:
        model = Enrollment
        fields = ("programme_year", "library", "partner_status", "cohort", "joined_on", "notes")


@admin.register(Enrollment)
class EnrollmentAdmin(SelectRelatedMixin, LibraryProvinceColumnMixin, SimpleHistoryAdmin):
    form = EnrollmentAdminForm
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
    fields = ("programme_year", "library", "partner_status", "cohort", "joined_on", "notes", "note")
    inlines = (EnrollmentChangeInline,)

    def save_model(
        self, request: HttpRequest, obj: Enrollment, form: forms.ModelForm, change: bool
    ) -> None:
        # The portal's service, so that the admin keeps the history too (who, when, what it became).
        note = form.cleaned_data.get("note", "")
        if change:
            change_enrollment(enrollment=obj, note=note, by=request.user)
        else:
            saved, _created = enroll_library(enrollment=obj, note=note, by=request.user)
            obj.pk = saved.pk


@admin.register(EnrollmentChange)
class EnrollmentChangeAdmin(SelectRelatedMixin, admin.ModelAdmin):
    """Every enrolment change, read-only: who changed which library's enrolment, when, to what."""

    list_display = (
        "changed_at",
        "enrollment",
        "partner_status",
        "cohort",
        "joined_on",
        "changed_by",
    )
    list_filter = (
        "partner_status",
        "enrollment__programme_year",
        "enrollment__library__province",
    )
    list_select_related = ("enrollment__library", "enrollment__programme_year", "changed_by")
    search_fields = ("enrollment__library__name", "note")
    date_hierarchy = "changed_at"
    ordering = ("-changed_at", "-pk")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: EnrollmentChange | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: EnrollmentChange | None = None
    ) -> bool:
        return False


class ActivityPhotoInline(admin.TabularInline):
    """An activity's photos, read-only: uploaded (checked, re-encoded without EXIF) through the portal's activity
    form only, and shown by its scoped photo view."""

    model = ActivityPhoto
    fields = ("photo_link", "caption", "width", "height", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    ordering = ("pk",)
    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ActivityPhoto]:
        return super().get_queryset(request).select_related("uploaded_by")

    def has_add_permission(self, request: HttpRequest, obj: Activity | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Activity | None = None) -> bool:
        return False

    @admin.display(description=_("foto"))
    def photo_link(self, obj: ActivityPhoto) -> str:
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("programs:activity_photo", args=[obj.pk]),
            _("Lihat foto"),
        )


@admin.register(Activity)
class ActivityAdmin(SelectRelatedMixin, LibraryProvinceColumnMixin, SimpleHistoryAdmin):
    """Activities as national staff see them. Photos are added in the portal (checked and stripped of EXIF
    there); saving and deleting go through the portal's services, so a deletion removes the photo files."""

    list_display = (
        "title",
        "library",
        "library_province",
        "line_of_work",
        "date",
        "beneficiaries_female",
        "beneficiaries_male",
        "beneficiaries_disabled",
        "beneficiaries_total",
    )
    list_filter = ("line_of_work", "library__province")
    list_select_related = ("library__province",)
    search_fields = ("title", "library__name", "location", "partners")
    autocomplete_fields = ("library",)
    date_hierarchy = "date"
    readonly_fields = ("created_by", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("library", "line_of_work", "title", "description")}),
        (_("Waktu dan tempat"), {"fields": ("date", "end_date", "location", "partners")}),
        (
            _("Penerima manfaat"),
            {
                "fields": (
                    "beneficiaries_female",
                    "beneficiaries_male",
                    "beneficiaries_disabled",
                )
            },
        ),
        (_("Bukti"), {"fields": ("evidence_url",)}),
        (
            _("Riwayat"),
            {"classes": ("collapse",), "fields": ("created_by", "created_at", "updated_at")},
        ),
    )
    inlines = (ActivityPhotoInline,)

    def save_model(self, request: HttpRequest, obj: Activity, form, change: bool) -> None:
        save_activity(activity=obj, by=request.user)

    def delete_model(self, request: HttpRequest, obj: Activity) -> None:
        delete_activity(activity=obj, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Activity]) -> None:
        for activity in queryset.select_related("library"):
            delete_activity(activity=activity, by=request.user)

    @admin.display(description=_("penerima manfaat"))
    def beneficiaries_total(self, obj: Activity) -> int:
        return obj.beneficiaries_total


@admin.register(ImpactStory)
class ImpactStoryAdmin(LibraryProvinceColumnMixin, SimpleHistoryAdmin):
    """Stories as national staff see them. The workflow (status with who and when), the consent's recorder and
    the photo (checked and stripped of EXIF on upload) are written by the portal's services only: shown here,
    never typed."""

    list_display = (
        "title",
        "person",
        "anonymous",
        "library",
        "library_province",
        "line_of_work",
        "date",
        "consent_given",
        "status",
    )
    list_filter = ("status", "consent_given", "anonymous", "line_of_work", "library__province")
    list_select_related = ("library__province", "person")
    search_fields = ("title", "alias", "person__full_name", "library__name")
    autocomplete_fields = ("library", "person", "activity")
    date_hierarchy = "date"
    readonly_fields = (
        "photo_link",
        "status",
        "consent_recorded_by",
        "created_by",
        "verified_by",
        "verified_at",
        "published_by",
        "published_at",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("title", "library", "activity", "line_of_work", "date")}),
        (_("Narasumber cerita"), {"fields": ("person", "anonymous", "alias")}),
        (_("Cerita"), {"fields": ("before", "after", "story", "photo_link")}),
        (
            _("Yang berubah"),
            {"fields": ("change_skills", "change_income", "change_work", "change_community")},
        ),
        (
            _("Persetujuan dan publikasi"),
            {
                "fields": (
                    "consent_given",
                    "consent_date",
                    "consent_method",
                    "consent_recorded_by",
                    "status",
                )
            },
        ),
        (
            _("Riwayat"),
            {
                "classes": ("collapse",),
                "fields": (
                    "created_by",
                    "created_at",
                    "verified_by",
                    "verified_at",
                    "published_by",
                    "published_at",
                    "updated_at",
                ),
            },
        ),
    )

    def save_model(self, request: HttpRequest, obj: ImpactStory, form, change: bool) -> None:
        # The portal's rules apply here too: who recorded the consent, and back to draft when content changes.
        save_story(story=obj, by=request.user)

    @admin.display(description=_("foto"))
    def photo_link(self, obj: ImpactStory) -> str:
        # Uploaded and cleaned (EXIF, GPS removed) through the portal's story form only; shown by its scoped view.
        if not obj.pk or not obj.photo:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("programs:story_photo", args=[obj.pk]), _("Lihat foto")
        )
