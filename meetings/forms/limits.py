"""How long the free texts of a meeting may be: they are printed in its PDFs (daftar hadir, agenda, RTL,
certificates), and a megabyte of address must not become a 177-page list rendered inside a request.

The columns are TextFields (no database change): the limit is the form's, with a clear message, the typed
text kept in the form to be shortened.
"""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

# Field name -> most characters, per form.
MEETING = {"venue_address": 500, "objectives": 3000}
SESSION = {"description": 2000}
RTL_ACTION = {"objective": 1000, "indicator": 1000}
RTL_PROGRESS = {"progress_note": 2000}
AWARD = {"citation": 2000}

TOO_LONG = _(
    "Teks ini terlalu panjang: paling banyak %(limit_value)d karakter (sekarang %(show_value)d)."
)


def limit_text(form: forms.BaseForm, limits: dict[str, int]) -> None:
    """Give ``form``'s fields in ``limits`` their maximum length (checked on the server, shown as maxlength)."""
    for name, limit in limits.items():
        field = form.fields.get(name)
        if field is None:
            continue
        field.max_length = limit
        field.validators.append(MaxLengthValidator(limit, message=TOO_LONG))
        field.widget.attrs["maxlength"] = str(limit)
