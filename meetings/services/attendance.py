"""Writes for attendance: marking participants present (by an officer or by themselves) and the self check-in link.

A participant is present at most once per meeting day (a database constraint); marking twice is harmless and
keeps the first time. Days are the meeting's own, in its province's time zone.

Writes take the acting user as ``by`` and check access, except the self check-in: a participant has no account
and reaches it through the meeting's secret link, so ``self_check_in`` takes no user and records with
``by=None`` (the link and the phone's last digits are the check).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from libraries.phone import last_digits
from meetings.models import Attendance, Meeting, Participation, new_checkin_token
from meetings.selectors import can_edit_meeting, can_take_attendance
from plm_portal.client import limit_key
from plm_portal.freshness import changed
from plm_portal.models import User

# Self check-in limits, counted in the cache (Redis in production: add/incr are atomic there) per meeting link
# and client address (plm_portal.client). Each window starts at its first count.
# Confirmations: per link + participant + address, counted before the digits are compared, so concurrent
# tries evaluate at most SELF_CHECKIN_MAX_FAILURES, and one guesser locks out only the name they guess at,
# not everyone behind the venue's one address.
SELF_CHECKIN_MAX_FAILURES = 5
SELF_CHECKIN_FAILURE_WINDOW = 10 * 60
# Searches that can list names: per link + address. A room of participants behind one Wi-Fi address each
# makes about three while typing (the page searches on each pause), so the budget has room for a busy
# registration table; listing a meeting's names is prevented by the narrowing rule (selectors.attendance).
SELF_CHECKIN_MAX_SEARCHES = 60
SELF_CHECKIN_SEARCH_WINDOW = 10 * 60
PHONE_DIGITS_TO_CONFIRM = 4


class SelfCheckInError(Exception):
    """A self check-in that cannot be recorded; ``str()`` is the message for the participant."""


class SelfCheckInClosed(SelfCheckInError):
    pass


class SelfCheckInNoPhone(SelfCheckInError):
    pass


class SelfCheckInMismatch(SelfCheckInError):
    pass


def meeting_today(meeting: Meeting, *, now: dt.datetime | None = None) -> dt.date:
    """Today's date where the meeting takes place (its province's time zone)."""
    moment = now or timezone.now()
    return timezone.localtime(moment, ZoneInfo(meeting.province.time_zone)).date()


def default_attendance_day(meeting: Meeting, *, now: dt.datetime | None = None) -> dt.date:
    """Today if the meeting is on today, else its first day."""
    today = meeting_today(meeting, now=now)
    return today if meeting.start_date <= today <= meeting.end_date else meeting.start_date


def self_checkin_open(meeting: Meeting, *, now: dt.datetime | None = None) -> bool:
    """Self check-in works only on the meeting's days (local time) and not for a cancelled meeting."""
    if meeting.status == Meeting.Status.CANCELLED:
        return False
    return meeting.start_date <= meeting_today(meeting, now=now) <= meeting.end_date


def not_a_meeting_day_message(meeting: Meeting) -> str:
    if meeting.start_date == meeting.end_date:
        days = date_format(meeting.start_date, "j F Y")
    else:
        days = _("%(start)s sampai %(end)s") % {
            "start": date_format(meeting.start_date, "j F Y"),
            "end": date_format(meeting.end_date, "j F Y"),
        }
    return _("Kehadiran hanya dapat dicatat pada hari pertemuan (%(days)s).") % {"days": days}


def _check_day(meeting: Meeting, day: dt.date) -> None:
    if not meeting.start_date <= day <= meeting.end_date:
        raise ValidationError(not_a_meeting_day_message(meeting), code="not_a_meeting_day")


@transaction.atomic
def mark_present(
    *,
    participation: Participation,
    day: dt.date,
    by: User | None,
    method: str = Attendance.Method.MANUAL,
    now: dt.datetime | None = None,
) -> tuple[Attendance, bool]:
    """Record ``participation`` present on ``day``; returns (attendance, created).

    ``by`` is who takes attendance (an officer of the province, national staff or an assigned facilitator),
    recorded on the row. ``by=None`` is allowed only for a self check-in (``method`` SELF): the participant
    has no account, and the meeting's secret link plus their phone's last digits (``self_check_in``) stand
    in for the access check.

    Idempotent: if they are already present that day the existing row (and its first time) is returned.
    Raises PermissionDenied when ``by`` may not take attendance at the meeting (or is None for another
    method), ValidationError when ``day`` is not one of the meeting's days; nothing is written then.
    """
    changed("dashboard")  # the national home figures count this
    if by is None:
        if method != Attendance.Method.SELF:
            raise PermissionDenied
    elif not can_take_attendance(by, participation.meeting):
        raise PermissionDenied
    _check_day(participation.meeting, day)
    attendance, created = Attendance.objects.get_or_create(
        participation=participation,
        day=day,
        defaults={
            "checked_in_at": now or timezone.now(),
            "method": method,
            "recorded_by": by,
        },
    )
    return attendance, created


@transaction.atomic
def undo_attendance(*, participation: Participation, day: dt.date, by: User) -> bool:
    """Remove ``participation``'s attendance on ``day``; returns whether there was one.

    Raises PermissionDenied when ``by`` may not take attendance at the meeting, ValidationError when ``day``
    is not one of the meeting's days.
    """
    changed("dashboard")  # the national home figures count this
    if not can_take_attendance(by, participation.meeting):
        raise PermissionDenied
    _check_day(participation.meeting, day)
    deleted, _details = Attendance.objects.filter(participation=participation, day=day).delete()
    return bool(deleted)


@transaction.atomic
def rotate_checkin_token(*, meeting: Meeting, by: User) -> str:
    """Give ``meeting`` a new self check-in token; the old link and printed QR codes stop working.

    Raises PermissionDenied when ``by`` may not change the meeting.
    """
    if not can_edit_meeting(by, meeting):
        raise PermissionDenied
    meeting.checkin_token = new_checkin_token()
    meeting.save(update_fields=["checkin_token", "updated_at"])
    return meeting.checkin_token


def self_check_in(
    *,
    meeting: Meeting,
    participation: Participation,
    phone_digits: str,
    now: dt.datetime | None = None,
) -> tuple[Attendance, bool]:
    """A participant marks themselves present today, confirming with the last digits of their phone.

    Returns (attendance, created). Raises SelfCheckInClosed outside the meeting's days, SelfCheckInNoPhone when
    no phone number is on record, SelfCheckInMismatch when the digits are wrong (or the participation belongs
    to another meeting); the message never says which part was wrong. Does not count tries: the public page
    calls ``attempt_self_check_in``.
    """
    if not self_checkin_open(meeting, now=now):
        raise SelfCheckInClosed(_("Check-in mandiri hanya dapat dilakukan pada hari pertemuan."))
    mismatch = SelfCheckInMismatch(
        _("Nama atau nomor HP tidak cocok. Periksa kembali, atau minta bantuan panitia.")
    )
    if participation.meeting_id != meeting.pk:
        raise mismatch
    expected = last_digits(participation.person.phone, PHONE_DIGITS_TO_CONFIRM)
    if len(expected) < PHONE_DIGITS_TO_CONFIRM:
        raise SelfCheckInNoPhone(
            _("Nomor HP Anda belum tercatat. Silakan minta panitia mencatat kehadiran Anda.")
        )
    if not hmac.compare_digest(expected.encode(), (phone_digits or "").encode()):
        raise mismatch
    return mark_present(
        participation=participation,
        day=meeting_today(meeting, now=now),
        by=None,
        method=Attendance.Method.SELF,
        now=now,
    )


class SelfCheckInBlocked(SelfCheckInError):
    """Too many wrong confirmations for this name from this address: the digits were not compared."""


def _limit_key(kind: str, *parts: object) -> str:
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()
    return f"meetings:self-checkin-{kind}:{digest}"


def _count(key: str, window: int) -> int:
    """Add one to the counter ``key`` (created for ``window`` seconds at its first count); returns the new
    value. add() and incr() are each atomic (Redis; the local-memory cache locks), so concurrent requests
    all get distinct counts."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:
        # The key expired between add() and incr(): start a new window.
        cache.add(key, 0, timeout=window)
        try:
            return cache.incr(key)
        except ValueError:
            return 1


def _uncount(key: str) -> None:
    with contextlib.suppress(ValueError):  # expired meanwhile: nothing to give back
        cache.decr(key)


def _guess_key(meeting: Meeting, participation: Participation, address: str) -> str:
    return _limit_key("guesses", meeting.checkin_token, participation.pk, limit_key(address))


def count_self_checkin_search(*, meeting: Meeting, address: str) -> bool:
    """Count one name search on ``meeting``'s link from ``address``; False when over the limit (refuse it)."""
    key = _limit_key("searches", meeting.checkin_token, limit_key(address))
    return _count(key, SELF_CHECKIN_SEARCH_WINDOW) <= SELF_CHECKIN_MAX_SEARCHES


def attempt_self_check_in(
    *,
    meeting: Meeting,
    participation: Participation,
    phone_digits: str,
    address: str,
    now: dt.datetime | None = None,
) -> tuple[Attendance, bool]:
    """``self_check_in`` behind the guess limit of ``participation`` from ``address``.

    The try is counted before the digits are compared (so 20 concurrent wrong tries compare at most
    SELF_CHECKIN_MAX_FAILURES of them); only a wrong confirmation keeps its count. Raises SelfCheckInBlocked
    when the limit is used up, else what ``self_check_in`` raises.
    """
    key = _guess_key(meeting, participation, address)
    if _count(key, SELF_CHECKIN_FAILURE_WINDOW) > SELF_CHECKIN_MAX_FAILURES:
        raise SelfCheckInBlocked(
            _(
                "Terlalu banyak percobaan yang tidak cocok. Coba lagi dalam %(minutes)s menit, atau "
                "minta panitia mencatat kehadiran Anda."
            )
            % {"minutes": SELF_CHECKIN_FAILURE_WINDOW // 60}
        )
    try:
        result = self_check_in(
            meeting=meeting, participation=participation, phone_digits=phone_digits, now=now
        )
    except SelfCheckInMismatch:
        raise
    except BaseException:
        _uncount(key)
        raise
    _uncount(key)
    return result
