"""Forms for the attendance tab (officers at the door) and the public self check-in page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from libraries.selectors import MIN_SEARCH_LENGTH
from meetings.models import Meeting, Participation
from meetings.services.attendance import not_a_meeting_day_message
from plm_portal.forms import PortalForm


class AttendanceDayForm(PortalForm):
    """Which meeting day the check-in screen shows (GET)."""

    day = forms.TypedChoiceField(label=_("Hari"), required=False)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["day"]
        field.choices = [(d.isoformat(), date_format(d, "l, j F Y")) for d in meeting.days]
        field.coerce = dt.date.fromisoformat
        field.empty_value = None
        field.widget.attrs["data-autosubmit"] = ""


class AttendanceMarkForm(PortalForm):
    """One tap on the check-in screen: ``mark`` (present) or ``undo`` carries the participation's id."""

    day = forms.DateField(label=_("Hari"))
    mark = forms.IntegerField(required=False, min_value=1)
    undo = forms.IntegerField(required=False, min_value=1)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting

    def clean_day(self) -> dt.date:
        day = self.cleaned_data["day"]
        if not self.meeting.start_date <= day <= self.meeting.end_date:
            raise forms.ValidationError(
                not_a_meeting_day_message(self.meeting), code="not_a_meeting_day"
            )
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (cleaned.get("mark") is None) == (cleaned.get("undo") is None):
            raise forms.ValidationError(_("Pilih satu peserta."), code="no_participant")
        return cleaned

    @property
    def participation_id(self) -> int:
        return self.cleaned_data["mark"] or self.cleaned_data["undo"]

    @property
    def present(self) -> bool:
        return self.cleaned_data["mark"] is not None


def count_letters(text: str) -> int:
    return sum(1 for char in text if char.isalpha())


class SelfCheckInSearchForm(PortalForm):
    """The participant types part of their name."""

    q = forms.CharField(
        label=_("Nama Anda"),
        max_length=100,
        help_text=_("Ketik minimal 3 huruf dari nama Anda."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {"autocomplete": "off", "autocapitalize": "words", "spellcheck": "false"}
        )

    def clean_q(self) -> str:
        text = " ".join(self.cleaned_data["q"].split())
        # The people search's minimum, counted in letters: a participant searches by name only.
        if count_letters(text) < MIN_SEARCH_LENGTH:
            raise forms.ValidationError(
                _("Ketik minimal 3 huruf dari nama Anda."), code="too_short"
            )
        return text


class SelfCheckInForm(SelfCheckInSearchForm):
    """The participant picks their name among the matches of ``q`` and confirms with their phone's last digits.

    ``participations`` is what ``q`` matches: a choice outside it gets the same "pick from the list" error
    whether or not that participation exists, so a tampered form learns nothing.
    """

    participation = forms.ModelChoiceField(
        label=_("Pilih nama Anda"),
        queryset=Participation.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pilih nama Anda dari daftar."),
            "invalid_choice": _("Pilih nama Anda dari daftar."),
        },
    )
    digits = forms.RegexField(
        label=_("4 digit terakhir nomor HP Anda"),
        regex=r"^[0-9]{4}$",
        max_length=4,
        error_messages={
            "required": _("Masukkan 4 digit terakhir nomor HP Anda."),
            "invalid": _("Masukkan tepat 4 angka, mis. 7890."),
        },
    )

    def __init__(
        self, *args: Any, participations: QuerySet[Participation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if participations is not None:
            self.fields["participation"].queryset = participations
        self.fields["digits"].widget.attrs.update(
            {
                "inputmode": "numeric",
                "autocomplete": "off",
                "pattern": "[0-9]{4}",
                "class": "form-control form-control-lg digits-input",
            }
        )
