"""Admin for meetings (Bimtek, PLM) with their agenda, participants, attendance, RTL and awards."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from libraries.models import Person
from meetings.models import (
    Attendance,
    Award,
    Meeting,
    Participation,
    RtlAction,
    RtlFollowUp,
    Session,
)
from meetings.selectors import participant_counts
from meetings.services.follow_ups import create_follow_ups, reschedule_follow_ups
from plm_portal.admin import AutocompleteInlineMixin, SelectRelatedMixin

# ---------------------------------------------------------------------------------------------------------
# Inlines
# ---------------------------------------------------------------------------------------------------------


class SessionInline(AutocompleteInlineMixin, admin.TabularInline):
    model = Session
    fields = ("order", "title", "date", "start_time", "end_time", "led_by")
    autocomplete_fields = ("led_by",)
    show_change_link = True  # the session's description on its own page


class ParticipationInline(AutocompleteInlineMixin, admin.TabularInline):
    model = Participation
    fields = ("person", "role", "library", "notes", "days_attended")
    readonly_fields = ("days_attended",)
    autocomplete_fields = ("person", "library")
    show_change_link = True  # attendance per day is edited on the participant's own page

    def get_queryset(self, request: HttpRequest) -> QuerySet[Participation]:
        return super().get_queryset(request).annotate(days_attended=Count("attendances"))

    @admin.display(description=_("hari hadir"))
    def days_attended(self, obj: Participation) -> int | None:
        # A row being added has no annotation yet.
        return getattr(obj, "days_attended", None)


class RtlActionInline(AutocompleteInlineMixin, admin.TabularInline):
    model = RtlAction
    fields = (
        "library",
        "line_of_work",
        "activity",
        "responsible",
        "timeline",
        "due_date",
        "status",
    )
    autocomplete_fields = ("library",)
    show_change_link = True  # objective, target group, indicator and progress on the RTL's own page


class RtlFollowUpInline(admin.TabularInline):
    """The row's three checks (made with the row; none added or deleted here). Staff correcting a result here
    are recorded as having recorded it; the row's own status is changed on its own fields."""

    model = RtlFollowUp
    fields = ("month", "due_date", "status", "note", "evidence_url", "recorded_by", "recorded_at")
    readonly_fields = ("month", "recorded_by", "recorded_at")
    extra = 0
    max_num = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[RtlFollowUp]:
        return super().get_queryset(request).select_related("recorded_by")


class AwardInline(AutocompleteInlineMixin, admin.TabularInline):
    model = Award
    fields = ("province", "year", "category", "rank", "library")
    autocomplete_fields = ("province", "library")
    show_change_link = True


class AttendanceInline(AutocompleteInlineMixin, admin.TabularInline):
    model = Attendance
    fields = ("day", "checked_in_at", "method", "recorded_by")
    autocomplete_fields = ("recorded_by",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Attendance]:
        # __str__ names the participant.
        return super().get_queryset(request).select_related("participation__person")


# ---------------------------------------------------------------------------------------------------------
# Meetings
# ---------------------------------------------------------------------------------------------------------


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = (
        "title",
        "kind",
        "province",
        "year",
        "wave",
        "start_date",
        "mode",
        "status",
        "participant_count",
        "attended_count",
    )
    list_filter = ("kind", "year", "wave", "status", "mode", "province")
    list_select_related = ("province",)
    search_fields = ("title", "province__name", "venue_name", "opened_by")
    autocomplete_fields = ("province", "venue_regency", "host_library", "assigned_facilitators")
    date_hierarchy = "start_date"
    readonly_fields = ("checkin_token", "created_by", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("kind", "title", "status")}),
        (_("Waktu"), {"fields": ("province", "year", "wave", "start_date", "end_date")}),
        (
            _("Tempat"),
            {
                "fields": (
                    "mode",
                    "venue_regency",
                    "venue_name",
                    "venue_address",
                    "online_url",
                    "host_library",
                )
            },
        ),
        (_("Pembukaan dan tujuan"), {"fields": ("opened_by", "objectives")}),
        (_("Fasilitator"), {"fields": ("assigned_facilitators",)}),
        (
            _("Riwayat"),
            {
                "classes": ("collapse",),
                "fields": ("checkin_token", "created_by", "created_at", "updated_at"),
            },
        ),
    )
    inlines = (SessionInline, ParticipationInline, RtlActionInline, AwardInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Meeting]:
        # Participants are the five participant groups; facilitators, resource persons and committee are not
        # counted. "Hadir" = participants with attendance on at least one day. Subqueries, counted for the
        # changelist's page only (meetings.selectors.participant_counts).
        return super().get_queryset(request).annotate(**participant_counts())

    def save_model(self, request: HttpRequest, obj: Meeting, form: ModelForm, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if change and "end_date" in form.changed_data:
            reschedule_follow_ups(meeting=obj)

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        super().save_formset(request, form, formset, change)
        if formset.model is RtlAction and formset.new_objects:
            # As meetings.services.rtl does: every RTL row has its follow-ups.
            create_follow_ups(actions=formset.new_objects)

    @admin.display(description=_("peserta"), ordering="participant_count")
    def participant_count(self, obj: Meeting) -> SafeString:
        url = reverse("admin:meetings_participation_changelist")
        return format_html(
            '<a href="{}?meeting__id__exact={}">{}</a>', url, obj.pk, obj.participant_count
        )

    @admin.display(description=_("hadir"), ordering="attended_count")
    def attended_count(self, obj: Meeting) -> int:
        return obj.attended_count


@admin.register(Session)
class SessionAdmin(SimpleHistoryAdmin):
    list_display = ("title", "meeting", "order", "date", "start_time", "end_time", "led_by")
    list_filter = ("meeting__kind", "meeting__year", "meeting__province")
    list_select_related = ("meeting", "led_by")
    search_fields = ("title", "meeting__title", "led_by__full_name")
    autocomplete_fields = ("meeting", "led_by")
    date_hierarchy = "date"


@admin.register(Participation)
class ParticipationAdmin(SelectRelatedMixin, SimpleHistoryAdmin):
    list_display = ("person", "role", "meeting", "library", "days_attended", "created_at")
    list_filter = ("role", "meeting__kind", "meeting__year", "meeting__province")
    list_select_related = ("person", "meeting", "library")
    search_fields = (
        "person__full_name",
        "person__phone",
        "person__email",
        "meeting__title",
        "library__name",
    )
    autocomplete_fields = ("meeting", "person", "library")
    date_hierarchy = "meeting__start_date"
    readonly_fields = ("created_at",)
    inlines = (AttendanceInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Participation]:
        return super().get_queryset(request).annotate(days_attended=Count("attendances"))

    @admin.display(description=_("hari hadir"), ordering="days_attended")
    def days_attended(self, obj: Participation) -> int:
        return obj.days_attended


@admin.register(Attendance)
class AttendanceAdmin(SelectRelatedMixin, SimpleHistoryAdmin):
    list_display = ("person", "meeting", "day", "checked_in_at", "method", "recorded_by")
    list_filter = ("method", "participation__meeting__kind", "participation__meeting__province")
    list_select_related = ("participation__person", "participation__meeting", "recorded_by")
    search_fields = ("participation__person__full_name", "participation__meeting__title")
    autocomplete_fields = ("participation", "recorded_by")
    date_hierarchy = "day"

    @admin.display(description=_("orang"), ordering="participation__person__full_name")
    def person(self, obj: Attendance) -> Person:
        return obj.participation.person

    @admin.display(description=_("pertemuan"), ordering="participation__meeting")
    def meeting(self, obj: Attendance) -> Meeting:
        return obj.participation.meeting


@admin.register(RtlAction)
class RtlActionAdmin(SimpleHistoryAdmin):
    list_display = (
        "activity",
        "library",
        "meeting",
        "line_of_work",
        "responsible",
        "due_date",
        "status",
    )
    list_filter = ("status", "line_of_work", "meeting__year", "meeting__province")
    list_select_related = ("library", "meeting")
    search_fields = ("activity", "responsible", "library__name", "meeting__title")
    autocomplete_fields = ("meeting", "library")
    date_hierarchy = "meeting__start_date"
    readonly_fields = ("created_at", "updated_at")
    inlines = (RtlFollowUpInline,)
    fieldsets = (
        (None, {"fields": ("meeting", "library", "line_of_work", "order")}),
        (
            _("Rencana tindak lanjut"),
            {
                "fields": (
                    "activity",
                    "objective",
                    "target_group",
                    "timeline",
                    "due_date",
                    "responsible",
                    "indicator",
                )
            },
        ),
        (_("Perkembangan"), {"fields": ("status", "progress_note", "progress_date")}),
        (_("Riwayat"), {"classes": ("collapse",), "fields": ("created_at", "updated_at")}),
    )

    def save_model(
        self, request: HttpRequest, obj: RtlAction, form: ModelForm, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            create_follow_ups(actions=[obj])

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        follow_ups = formset.save(commit=False)
        for follow_up in follow_ups:
            follow_up.recorded_by, follow_up.recorded_at = request.user, timezone.now()
            follow_up.save()
        formset.save_m2m()


@admin.register(Award)
class AwardAdmin(SelectRelatedMixin, SimpleHistoryAdmin):
    list_display = ("library", "category", "rank", "province", "year", "meeting")
    list_filter = ("year", "category", "province")
    list_select_related = ("library", "province", "meeting")
    search_fields = ("library__name", "citation", "meeting__title")
    autocomplete_fields = ("province", "library", "meeting")
    # The jury's reason stays here, for Perpusnas staff; no page or document prints it.
    fields = (
        "province",
        "year",
        "category",
        "rank",
        "library",
        "citation",
        "meeting",
        "jury_reason",
    )
