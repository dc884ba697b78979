"""Admin for national staff: the custom user, plus the inline plumbing every app's admin shares.

Staff see this admin in Indonesian; every label comes from the models' verbose names or goes through gettext.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.core.exceptions import PermissionDenied
from django.db.models import ForeignKey, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from plm_portal.models import User

# ---------------------------------------------------------------------------------------------------------
# Signing in: through the portal's own (allauth) sign-in only
# ---------------------------------------------------------------------------------------------------------


def admin_login(request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
    """``/admin/login/`` takes no password: it sends the visitor to the portal's sign-in with ``next``.

    So the admin is behind the same rate limits and the same two-factor step as the portal. A signed-in
    user without admin access is refused (403) rather than sent back to a sign-in page that would send them
    on to the admin again.
    """
    next_url = request.GET.get("next") or request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    next_url = next_url or reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return HttpResponseRedirect(next_url)
        raise PermissionDenied
    return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


admin.site.login = admin_login

# ---------------------------------------------------------------------------------------------------------
# Pages at a constant number of queries
# ---------------------------------------------------------------------------------------------------------


class SelectRelatedMixin:
    """For a ModelAdmin whose model's ``__str__`` follows a foreign key: ``list_select_related`` on every page.

    The change page title, the delete confirmation and the autocomplete results print ``__str__`` too, and
    ChangeList ignores ``list_select_related`` once ``get_queryset`` has a ``select_related()`` of its own;
    so the relations are named once, in ``list_select_related``, and selected here for every page.
    """

    list_select_related: tuple[str, ...] = ()

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related(*self.list_select_related)


# ---------------------------------------------------------------------------------------------------------
# Inlines at a constant number of queries
# ---------------------------------------------------------------------------------------------------------


class InstanceAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that can label its selected value from an object already in memory.

    Django's AutocompleteSelect runs one query per rendered widget to find the label of the selected value,
    so an inline of forty participants costs forty queries per autocomplete column. The inline's form hands
    the widget the related object its queryset already fetched (``select_related``); the widget falls back
    to the query only when the value differs from it (a bound form whose selection was changed).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Rebound, never mutated: widget copies made for each form share this dict until they rebind it.
        self.known_choices: dict[str, str] = {}

    def optgroups(self, name: str, value: list[str], attr: dict | None = None) -> list:
        empty_values = self.choices.field.empty_values
        selected = [str(v) for v in value if str(v) not in empty_values]
        if not selected or any(v not in self.known_choices for v in selected):
            return super().optgroups(name, value, attr)
        default: tuple[None, list, int] = (None, [], 0)
        if not self.is_required and not self.allow_multiple_selected:
            default[1].append(self.create_option(name, "", "", False, 0))
        for option_value in selected:
            default[1].append(
                self.create_option(
                    name, option_value, self.known_choices[option_value], True, len(default[1])
                )
            )
        return [default]


class InlineRelationsForm(forms.ModelForm):
    """Gives each InstanceAutocompleteSelect the related object the form's instance already holds."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            # The admin wraps relation widgets in RelatedFieldWidgetWrapper (the add/change icons).
            widget = getattr(field.widget, "widget", field.widget)
            if not isinstance(widget, InstanceAutocompleteSelect):
                continue
            model_field = self.instance._meta.get_field(name)
            if not model_field.is_cached(self.instance):
                continue
            related = model_field.get_cached_value(self.instance)
            if related is not None:
                widget.known_choices = {str(related.pk): field.label_from_instance(related)}


class AutocompleteInlineMixin:
    """For inlines: autocomplete widgets that render without a query per row.

    The inline's queryset ``select_related``s every foreign key in ``autocomplete_fields``; an inline that
    shows more relations in ``__str__`` extends ``get_queryset``.
    """

    form = InlineRelationsForm
    extra = 0

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = InstanceAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        foreign_keys = [
            name
            for name in self.get_autocomplete_fields(request)
            if self.model._meta.get_field(name).many_to_one
        ]
        return super().get_queryset(request).select_related(*foreign_keys)


# ---------------------------------------------------------------------------------------------------------
# Users
# ---------------------------------------------------------------------------------------------------------


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "role", "province")


class UserChangeForm(DjangoUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Data pengguna"), {"fields": ("full_name", "role", "province")}),
        (
            _("Hak akses"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ),
            },
        ),
        (_("Tanggal penting"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "role",
                    "province",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    list_display = (
        "email",
        "full_name",
        "role",
        "province",
        "is_staff",
        "is_superuser",
        "is_active",
        "last_login",
    )
    list_filter = ("role", "province", "is_staff", "is_superuser", "is_active", "groups")
    list_select_related = ("province",)
    search_fields = ("email", "full_name")
    ordering = ("full_name", "email")
    autocomplete_fields = ("province",)
    readonly_fields = ("last_login", "date_joined")
    filter_horizontal = ("groups", "user_permissions")
    date_hierarchy = "date_joined"
