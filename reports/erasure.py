"""Erasing a person (UU PDP No. 27/2022, the right to erasure), keeping the programme's counts.

The Person row stays (participations point to it with PROTECT, and every count of participants, attendance and
gender reads it), stripped of what identifies them: the name becomes "Orang terhapus #<id>"; phone, e-mail,
position, institution and home library are emptied (the phone and e-mail uniqueness rules ignore empty values).
Gender and province stay: they are what the dashboards count, and identify no one without the rest.

What else changes, in one transaction:
- participations and attendance days stay, linked to the anonymised person; a participation's free-text notes
  are emptied;
- RTL rows of their meetings whose "penanggung jawab" is their name get an empty "penanggung jawab";
- impact stories linked to them are unlinked and anonymised: alias and photo removed (the file deleted after
  commit), their name replaced by "[nama dihapus]" where the text spells it out, consent withdrawn, and a
  published story unpublished (back to "verified": a story without consent is never published);
- the audit history of all of these is scrubbed the same way (the historical rows of the person, of their
  participations, of those RTL rows and of those stories): the past versions no longer hold what was erased;
- every rendered PDF of a meeting they took part in or led a session of (Daftar Hadir, certificates, Laporan
  RTL, …) is withdrawn: the Report rows deleted and their files deleted after commit. The next request renders
  the document again from the anonymised data. A render already under way finds its row gone and discards
  its file (reports.services._store);
- the erasure is audited: a history entry on the person (reason "Penghapusan data pribadi (UU PDP)", the
  staff user) and a log line naming the person by id only.

Not changed: a portal account with the same e-mail (an account is closed by national staff on the users page,
on its own request); XLSX exports already made (they expire after a few days, reports.exports.services).
Erasing an erased person changes nothing and records nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q

from libraries.models import Person
from meetings.models import Attendance, Participation, RtlAction, Session
from programs.models import ImpactStory
from reports.models import Report
from reports.personal_data import log_personal_data_event, rtl_rows_naming

ERASURE_REASON = "Penghapusan data pribadi (UU PDP)"
NAME_REMOVED = "[nama dihapus]"
STORY_TEXT_FIELDS = ("title", "before", "after", "story")
# The person's fields emptied by an erasure (the name is set to erased_name).
BLANK_FIELDS: dict[str, Any] = {
    "phone": "",
    "email": "",
    "position": "",
    "institution": "",
    "home_library_id": None,
}


def erased_name(person_id: int) -> str:
    return f"Orang terhapus #{person_id}"


@dataclass(frozen=True)
class ErasureResult:
    person_id: int
    already_erased: bool
    participations: int = 0  # kept, linked to the anonymised person
    attendance: int = 0  # kept
    stories: int = 0
    rtl_rows: int = 0
    reports_withdrawn: int = 0


def is_erased(person: Person) -> bool:
    """Whether ``person`` holds nothing an erasure would remove (no identifying field, no linked story)."""
    return (
        person.full_name == erased_name(person.pk)
        and all(getattr(person, field) == value for field, value in BLANK_FIELDS.items())
        and not ImpactStory.objects.filter(person_id=person.pk).exists()
    )


def _delete_files_on_commit(storage, names: list[str]) -> None:
    def delete() -> None:
        for name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(delete)


def _without_name(text: str, name: str) -> str:
    """``text`` with ``name`` (any case, as a whole word: "Ani" leaves "manis" alone) replaced."""
    if not name or not text:
        return text
    return re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", NAME_REMOVED, text, flags=re.IGNORECASE)


def _scrub_story_history(person: Person, ids: list[int], name: str) -> None:
    """The stories' past versions: unlinked, no alias, no photo, the name out of their text (two queries)."""
    rows = list(ImpactStory.history.filter(Q(person_id=person.pk) | Q(id__in=ids)))
    for row in rows:
        row.person_id = None
        row.alias = ""
        row.photo = ""
        row.anonymous = True
        for field in STORY_TEXT_FIELDS:
            setattr(row, field, _without_name(getattr(row, field), name))
    if rows:
        ImpactStory.history.model.objects.bulk_update(
            rows, ["person_id", "alias", "photo", "anonymous", *STORY_TEXT_FIELDS]
        )


def _erase_stories(person: Person, name: str, by: Any) -> int:
    stories = list(ImpactStory.objects.select_for_update().filter(person=person))
    if not stories:
        return 0
    _scrub_story_history(person, [story.pk for story in stories], name)
    photos: list[str] = []
    for story in stories:
        if story.photo:
            photos.append(story.photo.name)
        for field in STORY_TEXT_FIELDS:
            setattr(story, field, _without_name(getattr(story, field), name))
        story.person = None
        story.anonymous = True
        story.alias = ""
        story.photo = ""
        story.consent_given = False
        story.consent_date = None
        story.consent_method = ""
        if story.status == ImpactStory.Status.PUBLISHED:
            story.status = ImpactStory.Status.VERIFIED
            story.published_at = None
            story.published_by = None
        story._change_reason = ERASURE_REASON
        story._history_user = by
        story.save()
    _delete_files_on_commit(ImpactStory._meta.get_field("photo").storage, photos)
    return len(stories)


def _withdraw_reports(meeting_ids: set[int]) -> int:
    if not meeting_ids:
        return 0
    rows = list(Report.objects.filter(meeting_id__in=meeting_ids).values_list("pk", "file"))
    if not rows:
        return 0
    Report.objects.filter(pk__in=[pk for pk, _name in rows]).delete()
    _delete_files_on_commit(default_storage, [name for _pk, name in rows if name])
    return len(rows)


def erase_person(*, person_id: int, by: Any) -> ErasureResult:
    """Anonymise person ``person_id`` everywhere, keeping the counts (see the module's docstring).

    Side effects: the rows and historical rows listed above updated; story photos and report PDFs deleted from
    storage after commit; Report rows of the person's meetings deleted; a history entry on the person by ``by``
    with reason ERASURE_REASON; a ``personal_data_erase`` log line. Raises Person.DoesNotExist when gone.
    """
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person_id)
        if is_erased(person):
            log_personal_data_event(
                "personal_data_erase", by=by, person_id=person.pk, already_erased=True
            )
            return ErasureResult(person_id=person.pk, already_erased=True)
        name = person.full_name.strip()
        participations = Participation.objects.filter(person=person)
        participation_meetings = set(participations.values_list("meeting_id", flat=True))
        session_meetings = set(
            Session.objects.filter(led_by=person).values_list("meeting_id", flat=True)
        )
        meeting_ids = participation_meetings | session_meetings

        participations.exclude(notes="").update(notes="")
        Participation.history.filter(person_id=person.pk).exclude(notes="").update(notes="")

        rtl_rows = rtl_rows_naming(person, sorted(participation_meetings)).update(responsible="")
        if name and participation_meetings:
            RtlAction.history.filter(
                meeting_id__in=participation_meetings, responsible__iexact=name
            ).update(responsible="")

        stories = _erase_stories(person, name, by)
        reports = _withdraw_reports(meeting_ids)

        anonymous = {"full_name": erased_name(person.pk), **BLANK_FIELDS}
        Person.history.filter(id=person.pk).update(**anonymous)
        for field, value in anonymous.items():
            setattr(person, field, value)
        person._change_reason = ERASURE_REASON
        person._history_user = by
        person.save()

        result = ErasureResult(
            person_id=person.pk,
            already_erased=False,
            participations=len(participation_meetings),
            attendance=Attendance.objects.filter(participation__person=person).count(),
            stories=stories,
            rtl_rows=rtl_rows,
            reports_withdrawn=reports,
        )
    # Logged once committed: a rolled-back erasure erased nothing.
    log_personal_data_event(
        "personal_data_erase",
        by=by,
        person_id=result.person_id,
        already_erased=False,
        participations=result.participations,
        attendance=result.attendance,
        stories=result.stories,
        rtl_rows=result.rtl_rows,
        reports_withdrawn=result.reports_withdrawn,
    )
    return result
