"""Generations for cached read models: a writer says a topic changed; readers key their cache on its generation.

A dashboard that aggregates the whole nation caches its figures under ``f"...:{generation('dashboard')}"``
with a short lifetime. The services that write what it counts call ``changed("dashboard")``; after their
transaction commits the generation moves on, so the next read recomputes. With Redis (every deployment) the
generation is shared by all web workers; with the in-process development cache it is per process, and the
lifetime bounds how stale another process may be. Writes that bypass the services (the Django admin, bulk
loaders that do not call ``changed``) are seen when the lifetime runs out.
"""

from __future__ import annotations

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.utils.functional import cached_property


def _key(topic: str) -> str:
    return f"generation:{topic}"


def generation(topic: str) -> int:
    """The current generation of ``topic`` (starts at 1; never expires)."""
    return cache.get_or_set(_key(topic), 1, timeout=None)


def bump(topic: str) -> None:
    try:
        cache.incr(_key(topic))
    except (
        ValueError
    ):  # not set yet, or evicted: any new value invalidates what was keyed on the old one
        cache.add(_key(topic), 2, timeout=None)


def changed(topic: str) -> None:
    """``topic`` changed in the current transaction: move its generation on once the transaction commits."""
    transaction.on_commit(lambda: bump(topic))


class GenerationCountPaginator(Paginator):
    """A Paginator whose total is cached under ``topic``'s generation: for a whole national list, where
    counting means reading every row (33,471 people a few programme years in, ten times that later).

    The writers of ``topic`` call ``changed(topic)``; the total is recounted on the next page after that, or
    after ``timeout`` seconds for writes that bypass them.
    """

    def __init__(self, *args, topic: str, key: str, timeout: int = 300, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._count_key, self._topic, self._timeout = key, topic, timeout

    @cached_property
    def count(self) -> int:
        key = f"count:{self._count_key}:{generation(self._topic)}"
        total = cache.get(key)
        if total is None:
            total = super().count
            cache.set(key, total, self._timeout)
        return total
