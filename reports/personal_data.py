"""Everything the portal holds about one person (UU PDP No. 27/2022, the right of access): JSON and a PDF.

What is gathered, read by the person's id (and their e-mail for the account):
- the Person row itself (name, gender, phone, e-mail, position, institution, province, home library);
- their participations, each with its meeting, role, the library they represented, notes and attendance days;
- agenda sessions they led (``Session.led_by``);
- RTL rows of meetings they took part in whose "penanggung jawab" is their name (the field is free text, so
  this is an exact, case-insensitive match of the full name, within their own meetings only);
- impact stories linked to them (``ImpactStory.person``), with consent and publication state;
- a portal account whose e-mail equals theirs (case-insensitive), when they have an e-mail: name, role,
  province, active, dates. Never its password or sign-in secrets;
- the audit history (django-simple-history) of the rows above: each version's date, kind and reason with the
  values it held. Who made each change (other people's names, addresses) is left out.

Not gathered: implementation activities (not linked to a person), the name typed into other free text (a
meeting's "dibuka oleh", stories not linked to the person), and documents already rendered (PDFs are made from
the data above; see reports.erasure for what happens to them on erasure).

Queries: a fixed number (about twelve) whatever the number of meetings, days or history versions.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from libraries.models import Person
from meetings.models import Attendance, Participation, RtlAction, Session
from programs.models import ImpactStory

logger = logging.getLogger("reports.personal_data")

SCHEMA = "plm-portal/personal-data/v1"
EXPORT_REASON = "Ekspor data pribadi (UU PDP)"
PDF_TEMPLATE = "reports/pdf/personal_data.html"
PDF_STYLESHEETS = ("base.css",)


def log_personal_data_event(event: str, *, by: Any, person_id: int, **fields: Any) -> None:
    """One JSON line on the ``reports.personal_data`` logger: who, when, which person id. Never a name or a
    phone number (the person is named by id only)."""
    record = {
        "event": event,
        "by_user_id": getattr(by, "pk", None),
        "person_id": person_id,
        "at": timezone.now().isoformat(),
        **fields,
    }
    logger.info(json.dumps(record, sort_keys=False, default=str))


def _choice(model, field: str, value: str) -> str:
    return str(dict(model._meta.get_field(field).flatchoices).get(value, value or ""))


def _person(person: Person) -> dict[str, Any]:
    library = person.home_library
    return {
        "id": person.pk,
        "full_name": person.full_name,
        "gender": person.gender,
        "gender_label": _choice(Person, "gender", person.gender),
        "phone": person.phone,
        "email": person.email,
        "position": person.position,
        "institution": person.institution,
        "province": {"code": person.province_id, "name": person.province.name},
        "home_library": {"id": library.pk, "name": library.name} if library else None,
        "created_at": person.created_at,
        "updated_at": person.updated_at,
    }


def _participations(person: Person) -> list[dict[str, Any]]:
    rows = (
        Participation.objects.filter(person=person)
        .select_related("meeting__province", "library")
        .prefetch_related(
            Prefetch("attendances", queryset=Attendance.objects.order_by("day", "checked_in_at"))
        )
        .order_by("meeting__start_date", "meeting_id")
    )
    return [
        {
            "id": row.pk,
            "meeting": {
                "id": row.meeting_id,
                "title": row.meeting.title,
                "kind": row.meeting.kind,
                "kind_label": row.meeting.get_kind_display(),
                "province": row.meeting.province.name,
                "start_date": row.meeting.start_date,
                "end_date": row.meeting.end_date,
            },
            "role": row.role,
            "role_label": row.get_role_display(),
            "library": {"id": row.library_id, "name": row.library.name} if row.library else None,
            "notes": row.notes,
            "created_at": row.created_at,
            "attendance": [
                {
                    "day": day.day,
                    "checked_in_at": day.checked_in_at,
                    "method": day.method,
                    "method_label": day.get_method_display(),
                }
                for day in row.attendances.all()
            ],
        }
        for row in rows
    ]


def _sessions(person: Person) -> list[dict[str, Any]]:
    rows = Session.objects.filter(led_by=person).select_related("meeting").order_by("date", "pk")
    return [
        {
            "id": row.pk,
            "meeting": {"id": row.meeting_id, "title": row.meeting.title},
            "title": row.title,
            "date": row.date,
            "start_time": row.start_time,
            "end_time": row.end_time,
        }
        for row in rows
    ]


def rtl_rows_naming(person: Person, meeting_ids: list[int]):
    """RTL rows of ``meeting_ids`` whose free-text "penanggung jawab" is exactly the person's name."""
    if not meeting_ids or not person.full_name.strip():
        return RtlAction.objects.none()
    return RtlAction.objects.filter(
        meeting_id__in=meeting_ids, responsible__iexact=person.full_name.strip()
    )


def _rtl(person: Person, meeting_ids: list[int]) -> list[dict[str, Any]]:
    rows = (
        rtl_rows_naming(person, meeting_ids).select_related("library").order_by("meeting_id", "pk")
    )
    return [
        {
            "id": row.pk,
            "meeting_id": row.meeting_id,
            "library": row.library.name,
            "line_of_work": row.line_of_work,
            "activity": row.activity,
            "responsible": row.responsible,
            "status": row.status,
            "due_date": row.due_date,
        }
        for row in rows
    ]


def _stories(person: Person) -> list[dict[str, Any]]:
    rows = (
        ImpactStory.objects.filter(person=person).select_related("library").order_by("date", "pk")
    )
    return [
        {
            "id": row.pk,
            "library": row.library.name,
            "title": row.title,
            "date": row.date,
            "status": row.status,
            "status_label": row.get_status_display(),
            "anonymous": row.anonymous,
            "alias": row.alias,
            "before": row.before,
            "after": row.after,
            "story": row.story,
            "has_photo": bool(row.photo),
            "consent_given": row.consent_given,
            "consent_date": row.consent_date,
            "consent_method": row.consent_method,
            "published_at": row.published_at,
        }
        for row in rows
    ]


def _account(person: Person) -> dict[str, Any] | None:
    if not person.email:
        return None
    user = (
        get_user_model()
        .objects.filter(email__iexact=person.email)
        .select_related("province")
        .first()
    )
    if user is None:
        return None
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "role": user.role,
        "role_label": user.get_role_display(),
        "province": user.province.name if user.province_id else None,
        "is_active": user.is_active,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }


def _versions(queryset, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    rows = queryset.order_by("history_date", "history_id").values(
        "history_date", "history_type", "history_change_reason", *fields
    )
    return [
        {
            "date": row.pop("history_date"),
            "type": row.pop("history_type"),
            "reason": row.pop("history_change_reason") or "",
            "values": row,
        }
        for row in rows
    ]


def _history(person: Person, participation_ids: list[int]) -> dict[str, list[dict[str, Any]]]:
    return {
        "person": _versions(
            Person.history.filter(id=person.pk),
            (
                "full_name",
                "gender",
                "phone",
                "email",
                "position",
                "institution",
                "province_id",
                "home_library_id",
            ),
        ),
        "participations": _versions(
            Participation.history.filter(person_id=person.pk),
            ("id", "meeting_id", "role", "library_id", "notes"),
        ),
        "attendance": _versions(
            Attendance.history.filter(participation_id__in=participation_ids),
            ("id", "participation_id", "day", "checked_in_at", "method"),
        ),
        "impact_stories": _versions(
            ImpactStory.history.filter(person_id=person.pk),
            ("id", "title", "status", "anonymous", "alias", "consent_given"),
        ),
    }


def personal_data(person: Person, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Everything held about ``person`` (loaded with its province and home library), ready for JSON."""
    participations = _participations(person)
    meeting_ids = [row["meeting"]["id"] for row in participations]
    return {
        "schema": SCHEMA,
        "generated_at": now or timezone.now(),
        "person": _person(person),
        "participations": participations,
        "sessions_led": _sessions(person),
        "rtl_responsible": _rtl(person, meeting_ids),
        "impact_stories": _stories(person),
        "account": _account(person),
        "history": _history(person, [row["id"] for row in participations]),
    }


def personal_data_json(data: dict[str, Any]) -> bytes:
    """UTF-8 JSON (names as written, not escaped), dates and times in ISO 8601, indented for reading."""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")


def personal_data_html(data: dict[str, Any], *, time_zone: str) -> str:
    """The PDF's HTML, in Indonesian, times in the person's province's time zone."""
    zone = ZoneInfo(time_zone)
    with translation.override("id"), timezone.override(zone):
        local = timezone.localtime(data["generated_at"], zone)
        context = {
            "data": data,
            "generated_at": f"{date_format(local, 'j F Y')} {local:%H.%M}",
            "title": _("Data pribadi yang disimpan Portal PLM"),
        }
        return render_to_string(PDF_TEMPLATE, context)


def personal_data_pdf(data: dict[str, Any], *, time_zone: str) -> bytes:
    """The readable PDF of ``data``, rendered here and now (one person: a few pages, well under a second)."""
    from reports.pdf import render_pdf

    html = personal_data_html(data, time_zone=time_zone)
    return render_pdf(html=html, stylesheets=PDF_STYLESHEETS).content


def record_export(person: Person, *, by: Any, file_format: str, ip_address: str | None) -> None:
    """Audit an export: a history entry on the person (reason "Ekspor data pribadi (UU PDP)", the staff user,
    their address; the person's data unchanged) and a log line with who, when and the person's id."""
    Person.history.bulk_history_create(
        [person],
        update=True,
        default_user=by,
        default_change_reason=EXPORT_REASON,
        custom_historical_attrs={"ip_address": ip_address},
    )
    log_personal_data_event("personal_data_export", by=by, person_id=person.pk, format=file_format)
