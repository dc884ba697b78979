"""A form sent twice makes one row: each form carries a random key, and a key is claimed once.

On a weak connection officers tap "Simpan" again, or the browser resends. The form holds a hidden ``form_key``
(``FormKeyMixin``); the view claims it before saving (``claim``: an atomic ``cache.add``, so of two concurrent
posts one wins), records what the save made once it commits (``settle``), or gives the key back when the save
is refused (``release``) so that correcting the form and sending it again works. A second post of the same key
raises AlreadySubmitted with the row the first one made (None while it is still being saved).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django import forms
from django.core.cache import cache
from django.db import transaction

KEY_SECONDS = 24 * 60 * 60
_PENDING = "pending"
_KEY = re.compile(r"^[0-9a-f]{32}$")


class AlreadySubmitted(Exception):
    """The form with this key was sent before: ``row_id`` is what it saved (None while still saving)."""

    def __init__(self, row_id: int | None) -> None:
        super().__init__(row_id)
        self.row_id = row_id


def _cache_key(kind: str, key: str) -> str:
    return f"plm:form-once:{kind}:{key}"


def claim(kind: str, key: str) -> None:
    """Claim ``key`` of a ``kind`` of form for this request, or raise AlreadySubmitted. "" claims nothing."""
    if key and not cache.add(_cache_key(kind, key), _PENDING, timeout=KEY_SECONDS):
        value = cache.get(_cache_key(kind, key))
        raise AlreadySubmitted(value if isinstance(value, int) else None)


def settle(kind: str, key: str, row_id: int) -> None:
    """Remember what the claimed ``key`` saved, once the saving transaction commits."""
    if key:
        transaction.on_commit(lambda: cache.set(_cache_key(kind, key), row_id, timeout=KEY_SECONDS))


def release(kind: str, key: str) -> None:
    """Give ``key`` back after a save that failed."""
    if key:
        cache.delete(_cache_key(kind, key))


class FormKeyMixin:
    """Adds the hidden ``form_key`` field: a new random key on every unbound form; a malformed one is ""."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["form_key"] = forms.CharField(required=False, widget=forms.HiddenInput)
        if not self.is_bound:
            self.initial["form_key"] = uuid.uuid4().hex

    def clean_form_key(self) -> str:
        key = self.cleaned_data.get("form_key", "")
        return key if _KEY.match(key) else ""
