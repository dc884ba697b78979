from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from libraries.models import Person
from meetings.forms import limits
from meetings.forms.limits import limit_text
from meetings.models import Meeting, Participation, Session
from meetings.selectors import session_leaders
from plm_portal.forms import PortalModelForm
from plm_portal.models import User
from plm_portal.once import FormKeyMixin


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        role = dict(Participation.Role.choices).get(getattr(obj, "meeting_role", None))
        return f"{obj.full_name} ({role})" if role else obj.full_name


def _day_label(day: dt.date) -> str:
    return date_format(day, "l, j F Y")


class SessionForm(FormKeyMixin, PortalModelForm):
    """Add or change one session of a meeting's agenda.

    The day is one of the meeting's days; the leader one of its participants the user may see.
    """

    date = forms.TypedChoiceField(
        label=_("Hari"),
        coerce=dt.date.fromisoformat,
        error_messages={"invalid_choice": _("Pilih salah satu hari pertemuan.")},
    )
    led_by = LeaderChoiceField(
        label=_("Fasilitator/narasumber"),
        queryset=Person.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("Dipilih dari orang yang terdaftar di pertemuan ini."),
    )

    class Meta:
        model = Session
        fields = ["title", "date", "start_time", "end_time", "led_by", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, meeting: Meeting, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_text(self, limits.SESSION)
        self.meeting = meeting
        self.instance.meeting = meeting
        days = meeting.days
        choices = [(day.isoformat(), _day_label(day)) for day in days]
        current = self.instance.date
        if current and current not in days:
            # Keep an out-of-range day visible (the meeting's dates changed) rather than silently moving it.
            choices.insert(0, (current.isoformat(), _day_label(current)))
        self.fields["date"].choices = choices
        if not self.instance.pk and not self.initial.get("date"):
            self.initial["date"] = days[0].isoformat()
        elif isinstance(self.initial.get("date"), dt.date):
            self.initial["date"] = self.initial["date"].isoformat()
        if len(choices) == 1:
            # One day only: nothing to choose, keep the page short on a phone.
            self.fields["date"].widget = forms.HiddenInput()
        self.fields["led_by"].queryset = session_leaders(user, meeting)
        self.fields["title"].widget.attrs["placeholder"] = _("mis. Berbagi pengalaman")
        self.fields["title"].error_messages["required"] = _("Isi judul sesi.")

    def full_clean(self) -> None:
        super().full_clean()
        if "date" in self.errors and self.fields["date"].widget.is_hidden:
            # A hidden field's error would be invisible: show the choice again.
            widget = forms.Select(choices=self.fields["date"].choices)
            widget.attrs["class"] = "form-select is-invalid"
            self.fields["date"].widget = widget

    def clean_date(self) -> dt.date:
        day = self.cleaned_data["date"]
        if day not in self.meeting.days:
            raise forms.ValidationError(_("Pilih salah satu hari pertemuan."))
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if end and not start and "start_time" not in self.errors:
            self.add_error("start_time", _("Isi jam mulai bila jam selesai diisi."))
        elif start and end and end <= start:
            self.add_error("end_time", _("Jam selesai harus setelah jam mulai."))
        return cleaned
