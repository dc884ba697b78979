"""Forms of the RTL tab: a follow-up plan row, and a progress update of one row."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from meetings.forms import limits
from meetings.forms.limits import limit_text
from meetings.models import Meeting, RtlAction
from meetings.selectors import rtl_library_choices
from meetings.services.rtl import due_date_error, progress_date_error
from plm_portal.forms import PortalModelForm
from plm_portal.models import User
from plm_portal.once import FormKeyMixin


def meeting_today(meeting: Meeting) -> dt.date:
    """Today's date where the meeting is held (Indonesia spans three time zones)."""
    return timezone.localdate(timezone=ZoneInfo(meeting.province.time_zone))


class RtlActionForm(FormKeyMixin, PortalModelForm):
    """One RTL row: what a library plans to do after the meeting.

    ``library`` is a hidden field when the form sits in a library's card, a select otherwise; either way only
    libraries of the meeting's province are accepted.
    """

    class Meta:
        model = RtlAction
        fields = [
            "library",
            "activity",
            "line_of_work",
            "objective",
            "target_group",
            "timeline",
            "due_date",
            "responsible",
            "indicator",
        ]
        labels = {
            "library": _("Perpustakaan"),
            "line_of_work": _("Lini kerja TPBIS"),
            "activity": _("Kegiatan"),
            "objective": _("Tujuan"),
            "target_group": _("Sasaran"),
            "timeline": _("Waktu"),
            "due_date": _("Tenggat (tanggal)"),
            "responsible": _("Penanggung jawab"),
            "indicator": _("Indikator"),
        }
        help_texts = {
            "timeline": _("mis. Triwulan IV 2022, setiap Sabtu"),
        }
        widgets = {
            "objective": forms.Textarea(attrs={"rows": 2}),
            "indicator": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(
        self,
        *args: Any,
        meeting: Meeting,
        user: User,
        hide_library: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_text(self, limits.RTL_ACTION)
        self.meeting = meeting
        library = self.fields["library"]
        library.queryset = rtl_library_choices(user, meeting)
        library.empty_label = _("— pilih perpustakaan —")
        library.error_messages["invalid_choice"] = _(
            "Pilih perpustakaan di provinsi %(province)s."
        ) % {"province": meeting.province.name}
        if hide_library:
            library.widget = forms.HiddenInput()
        self.fields["line_of_work"].choices = [
            ("", _("— pilih lini kerja —")),
            *self.fields["line_of_work"].choices[1:],
        ]
        self.fields["line_of_work"].error_messages["invalid_choice"] = _(
            "Pilih salah satu lini kerja."
        )
        self.fields["activity"].widget.attrs["placeholder"] = _(
            "mis. Pelatihan membuat konten video bagi pemuda desa"
        )
        self.fields["due_date"].widget.attrs["min"] = meeting.start_date.isoformat()
        self.fields["due_date"].help_text = _("Boleh dikosongkan.")

    def clean_due_date(self) -> dt.date | None:
        due_date = self.cleaned_data.get("due_date")
        error = due_date_error(self.meeting, due_date)
        if error:
            raise forms.ValidationError(error)
        return due_date

    def plan(self) -> dict[str, Any]:
        """The row's fields as cleaned (what the RTL services take), without the form's one-time key."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ProgressForm(PortalModelForm):
    """Where an RTL row stands now. The date defaults to today in the meeting's province."""

    class Meta:
        model = RtlAction
        fields = ["status", "progress_note", "progress_date"]
        labels = {
            "status": _("Status"),
            "progress_note": _("Catatan perkembangan"),
            "progress_date": _("Tanggal perkembangan"),
        }
        widgets = {"progress_note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_text(self, limits.RTL_PROGRESS)
        self.meeting = meeting
        self.today = meeting_today(meeting)
        self.fields["status"].error_messages["invalid_choice"] = _("Pilih salah satu status.")
        if not self.is_bound:
            # A progress update is news of today unless the officer says otherwise.
            self.initial["progress_date"] = self.today
        date = self.fields["progress_date"]
        date.required = False
        date.help_text = _("Kosong berarti hari ini (%(date)s).") % {
            "date": date_format(self.today, "j F Y")
        }
        date.widget.attrs.update(
            {"min": meeting.start_date.isoformat(), "max": self.today.isoformat()}
        )

    def clean_progress_date(self) -> dt.date:
        progress_date = self.cleaned_data.get("progress_date") or self.today
        error = progress_date_error(self.meeting, progress_date)
        if error:
            raise forms.ValidationError(error)
        if progress_date > self.today:
            raise forms.ValidationError(
                _("Tanggal perkembangan tidak boleh di masa depan (hari ini %(date)s).")
                % {"date": date_format(self.today, "j F Y")}
            )
        return progress_date
