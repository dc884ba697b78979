"""Validation of a "Buat PDF" request: which document, and for an attendance list which day and variant
(attended only; full phone numbers)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting
from reports.models import Report


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Dokumen"), choices=Report.Kind.choices)
    day = forms.DateField(label=_("Hari"), required=False, input_formats=["%Y-%m-%d"])
    attended_only = forms.BooleanField(label=_("Hanya peserta yang hadir"), required=False)
    # Masked (last four digits) unless asked for; only the province's officers and national staff may ask
    # (reports.services.request_report refuses anyone else).
    full_phones = forms.BooleanField(label=_("Tampilkan nomor HP lengkap"), required=False)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == Report.Kind.ATTENDANCE:
            day = data.get("day") or self.meeting.start_date
            if "day" not in self.errors and day not in self.meeting.days:
                self.add_error("day", _("Hari ini bukan hari pertemuan."))
            data["day"] = day
        return data

    @property
    def options(self) -> dict[str, Any]:
        """The report options of a valid form, as request_report takes them."""
        data = self.cleaned_data
        if data["kind"] != Report.Kind.ATTENDANCE:
            return {}
        return {
            "day": data["day"].isoformat(),
            "attended_only": data["attended_only"],
            "full_phones": data["full_phones"],
        }

    def error_text(self) -> str:
        return " ".join(str(error) for errors in self.errors.values() for error in errors)
