"""Admin for regions, libraries and people.

Regions come from the Kemendagri list (the region loader); staff look them up and rename, they do not delete:
the code is the primary key, so it is read-only once a row exists (editing it would copy the row).
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from libraries.models import District, ImportJob, Library, Person, Province, Regency, Village


class RegionAdmin(admin.ModelAdmin):
    """Read-mostly: searchable by code prefix ("15.71") or name, never deleted from the admin."""

    search_fields = ("^code", "name")
    ordering = ("code",)

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple:
        readonly = tuple(super().get_readonly_fields(request, obj))
        return (*readonly, "code") if obj is not None else readonly

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Province)
class ProvinceAdmin(RegionAdmin):
    list_display = ("code", "name", "time_zone")
    list_filter = ("time_zone",)


@admin.register(Regency)
class RegencyAdmin(RegionAdmin):
    list_display = ("code", "name", "kind", "province")
    list_filter = ("kind", "province")
    list_select_related = ("province",)
    autocomplete_fields = ("province",)


@admin.register(District)
class DistrictAdmin(RegionAdmin):
    list_display = ("code", "name", "regency", "province")
    list_filter = ("regency__province",)
    list_select_related = ("regency__province",)
    autocomplete_fields = ("regency",)

    @admin.display(description=_("provinsi"), ordering="regency__province")
    def province(self, obj: District) -> Province:
        return obj.regency.province


@admin.register(Village)
class VillageAdmin(RegionAdmin):
    # About 83,000 rows: no second COUNT(*) of the whole table, no joins beyond the regency.
    show_full_result_count = False
    list_display = ("code", "name", "kind", "postal_code", "district", "regency")
    list_filter = ("kind", "district__regency__province")
    list_select_related = ("district__regency",)
    search_fields = ("^code", "name", "postal_code")
    autocomplete_fields = ("district",)

    @admin.display(description=_("kabupaten/kota"), ordering="district__regency")
    def regency(self, obj: Village) -> Regency:
        return obj.district.regency


@admin.register(Library)
class LibraryAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "province", "regency", "village", "is_active", "updated_at")
    list_filter = ("kind", "is_active", "province")
    list_select_related = ("province", "regency", "village")
    search_fields = ("name", "head_name", "email", "phone", "regency__name", "village__name")
    autocomplete_fields = ("province", "regency", "village")
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("name", "kind", "is_active")}),
        (_("Wilayah"), {"fields": ("province", "regency", "village")}),
        (_("Kontak"), {"fields": ("address", "phone", "email", "website")}),
        (_("Pimpinan"), {"fields": ("head_name", "head_title", "head_nip", "logo")}),
        (_("Riwayat"), {"classes": ("collapse",), "fields": ("created_at", "updated_at")}),
    )


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("full_name", "gender", "phone", "email", "position", "home_library", "province")
    list_filter = ("province", "gender")
    list_select_related = ("province", "home_library")
    search_fields = ("full_name", "phone", "email", "institution", "home_library__name")
    autocomplete_fields = ("province", "home_library")
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("full_name", "gender", "position")}),
        (_("Kontak"), {"fields": ("phone", "email")}),
        (_("Asal"), {"fields": ("province", "home_library", "institution")}),
        (_("Riwayat"), {"classes": ("collapse",), "fields": ("created_at", "updated_at")}),
    )


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Registry imports, read-only: they are made and applied from the portal's import pages."""

    list_display = (
        "original_name",
        "kind",
        "province",
        "status",
        "created_count",
        "updated_count",
        "skipped_count",
        "error_count",
        "created_by",
        "created_at",
    )
    list_filter = ("kind", "status", "province")
    list_select_related = ("province", "created_by")
    search_fields = ("original_name",)
    exclude = ("preview", "headers")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
