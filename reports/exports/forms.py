"""The "Unduh XLSX" form: the list page's query string, and a one-time key against double taps."""

from __future__ import annotations

from django import forms
from django.http import QueryDict

from plm_portal.once import FormKeyMixin

MAX_QUERY_LENGTH = 2000


class ExportRequestForm(FormKeyMixin, forms.Form):
    query = forms.CharField(required=False, max_length=MAX_QUERY_LENGTH, widget=forms.HiddenInput)

    @property
    def params(self) -> QueryDict:
        return QueryDict(self.cleaned_data.get("query", ""))
