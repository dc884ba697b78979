"""A form sent twice makes one row: each form carries a random key, and a key is claimed once.

On a weak connection officers tap "Simpan" again, or the browser resends. The form holds a hidden ``form_key``
(``FormKeyMixin``); the view claims it before saving (``claim``: an atomic ``cache.add``, so of two concurrent
posts one wins), records what the save made once it commits (``settle``), or gives the key back when the save
is refused (``release``) so that correcting the form and sending it again works. A second post of the same key
raises AlreadySubmitted with the row the first one made (None while it is still being saved).

``save`` does all of it around one write: a repeated post waits briefly for the first one's row and answers
with that row, so the view shows the same result (five concurrent taps: one row, five identical answers).
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model

KEY_SECONDS = 24 * 60 * 60
# How long a repeated post waits for the first one's row before saying it is still being saved.
WAIT_SECONDS = 10.0
_POLL_SECONDS = 0.05
_PENDING = "pending"
_KEY = re.compile(r"^[0-9a-f]{32}$")


class AlreadySubmitted(Exception):
    """The form with this key was sent before: ``row_id`` is what it saved (None while still saving)."""

    def __init__(self, row_id: int | None) -> None:
        super().__init__(row_id)
        self.row_id = row_id


def _cache_key(kind: str, key: str) -> str:
    return f"plm:form-once:{kind}:{key}"


def claim(kind: str, key: str, *, wait: float = 0.0) -> None:
    """Claim ``key`` of a ``kind`` of form for this request, or raise AlreadySubmitted. "" claims nothing.

    With ``wait`` a key still being saved is watched that many seconds for its row; a key given back meanwhile
    (the first save was refused) is claimed by this request, which then tries the same form itself.
    """
    if not key:
        return
    deadline = time.monotonic() + wait
    while True:
        if cache.add(_cache_key(kind, key), _PENDING, timeout=KEY_SECONDS):
            return
        value = cache.get(_cache_key(kind, key))
        if isinstance(value, int):
            raise AlreadySubmitted(value)
        if value is not None and time.monotonic() >= deadline:
            raise AlreadySubmitted(None)
        time.sleep(_POLL_SECONDS if value is not None else 0)


def settle(kind: str, key: str, row_id: int) -> None:
    """Remember what the claimed ``key`` saved, once the saving transaction commits."""
    if key:
        transaction.on_commit(lambda: cache.set(_cache_key(kind, key), row_id, timeout=KEY_SECONDS))


def release(kind: str, key: str) -> None:
    """Give ``key`` back after a save that failed."""
    if key:
        cache.delete(_cache_key(kind, key))


def save[T: Model](kind: str, key: str, write: Callable[[], T], *, model: type[T]) -> T:
    """``write()`` once per ``key``: the row it saved, or the row an earlier post of the same key saved.

    Raises AlreadySubmitted(None) when the earlier post is still saving after WAIT_SECONDS or its row is gone;
    whatever ``write`` raises (a refusal) gives the key back and goes up.
    """
    try:
        claim(kind, key, wait=WAIT_SECONDS)
    except AlreadySubmitted as sent:
        row = model._default_manager.filter(pk=sent.row_id).first() if sent.row_id else None
        if row is None:
            raise AlreadySubmitted(None) from None
        return row
    try:
        row = write()
    except BaseException:
        release(kind, key)
        raise
    settle(kind, key, row.pk)
    return row


def earlier[T: Model](kind: str, key: str, *, model: type[T]) -> T | None:
    """The row an earlier post of ``key`` saved (waiting up to WAIT_SECONDS while it saves), None if none did:
    for a view that must answer a repeated post before checks the first post's row would change."""
    if not key:
        return None
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        value = cache.get(_cache_key(kind, key))
        if isinstance(value, int):
            return model._default_manager.filter(pk=value).first()
        if value is None:
            return None
        if time.monotonic() >= deadline:
            raise AlreadySubmitted(None)
        time.sleep(_POLL_SECONDS)


def posted_key(form: forms.BaseForm) -> str:
    """The key a bound form carries, read before validating it ("" if none or malformed): a repeated post
    must be recognised before checks that the first post's row would now fail (a name already taken)."""
    key = form.data.get(form.add_prefix("form_key"), "") if form.is_bound else ""
    return key if isinstance(key, str) and _KEY.match(key) else ""


def repeated[T: Model](kind: str, form: forms.BaseForm, *, model: type[T]) -> T | None:
    """For a bound ``form`` sent again: the row its first post saved, else None (also while that post is
    still saving after the wait: ``save`` then says so). Asked before validating, as ``earlier``."""
    try:
        return earlier(kind, posted_key(form), model=model)
    except AlreadySubmitted:
        return None


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
