"""Forms of the RTL follow-ups: recording one check of a row, and the due list's province filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from libraries.models import Province
from meetings.models import RtlFollowUp
from plm_portal.forms import PortalForm, PortalModelForm

Status = RtlFollowUp.Status


class FollowUpForm(PortalModelForm):
    """What a check found: a result (a check is never recorded as "not checked"), a note, a link to evidence.

    ``month`` is the check's month (shown and sent back by the template; the view reads it).
    """

    class Meta:
        model = RtlFollowUp
        fields = ["status", "note", "evidence_url"]
        labels = {
            "status": _("Hasil"),
            "note": _("Catatan"),
            "evidence_url": _("Tautan bukti"),
        }
        help_texts = {
            "note": _("Apa yang sudah dilakukan, kendalanya, rencana berikutnya."),
            "evidence_url": _(
                "Boleh dikosongkan. Mis. tautan foto, berita atau unggahan media sosial."
            ),
        }
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, month: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.month = month
        status = self.fields["status"]
        status.choices = [
            ("", _("— pilih hasil —")),
            *((value, label) for value, label in Status.choices if value != Status.PENDING),
        ]
        status.error_messages["invalid_choice"] = _("Pilih salah satu hasil.")
        status.error_messages["required"] = _("Pilih hasil tindak lanjut.")
        if not self.is_bound and self.instance.status == Status.PENDING:
            self.initial["status"] = ""
        url = self.fields["evidence_url"]
        url.error_messages["invalid"] = _("Masukkan alamat tautan yang lengkap, mis. https://…")
        url.widget.attrs["placeholder"] = "https://"


class FollowUpFilterForm(PortalForm):
    """The due list's province filter (national staff only; an officer's list is their province's)."""

    province = forms.ModelChoiceField(
        label=_("Provinsi"),
        queryset=Province.objects.order_by("name"),
        required=False,
        empty_label=_("Semua provinsi"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].error_messages["invalid_choice"] = _("Pilih salah satu provinsi.")
