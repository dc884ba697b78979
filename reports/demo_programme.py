"""The demo's programme work (demo/plm_jambi_2022.toml, loaded by ``reports.demo.load_demo``): programme years,
enrolments with their history, implementation activities with their photos, and impact stories.

What an officer records in the portal is recorded here as the province's demo officer (the account of role
"provincial" for the library's province): who enrolled a library and changed its enrolment, who recorded an
activity and uploaded its photos, who wrote a story and recorded its person's consent. Photos come from
``demo/photos`` and go the portal's way: checked and re-encoded by ``programs.photos.process_photo`` (no
metadata kept), stored in the private storage under a random name. Idempotent like the rest of the demo: a file
is stored only for a row that is inserted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from libraries.models import Library, Person, Province
from plm_portal.models import User
from programs.models import (
    Activity,
    ActivityPhoto,
    Enrollment,
    EnrollmentChange,
    ImpactStory,
    ProgrammeYear,
)
from programs.photos import process_photo
from reports.demo_rows import DemoResult, Spec, backdate, ensure, fields

PHOTO_DIR = Path(__file__).resolve().parent.parent / "demo" / "photos"
# When an enrolment without a history in the file was made: its joined-on day, at the office's opening.
ENROLLED_AT = dt.time(9, 0)
# When a photo was uploaded: the activity's (last) day, after it.
UPLOADED_AT = dt.time(17, 0)


def officers(users: dict[str, User]) -> dict[str, User]:
    """The demo officer of each province, by province code."""
    return {
        user.province_id: user
        for user in users.values()
        if user.role == User.Role.PROVINCIAL and user.province_id
    }


def _zone(provinces: dict[str, Province], library: Library) -> ZoneInfo:
    return ZoneInfo(provinces[library.province_id].time_zone)


def _photo_file(name: str) -> tuple[ContentFile, int, int]:
    """A photo of ``demo/photos`` as the portal keeps an upload: checked and re-encoded without metadata
    (its content, width and height)."""
    data = (PHOTO_DIR / name).read_bytes()
    photo = process_photo(SimpleUploadedFile(name, data, content_type="image/jpeg"))
    return ContentFile(photo.content), photo.width, photo.height


def load_programme(
    data: dict[str, Any],
    libraries: dict[str, Library],
    provinces: dict[str, Province],
    users: dict[str, User],
    result: DemoResult,
) -> None:
    """Programme years, enrolments and each enrolment's history (its first row: the enrolment itself)."""
    years = ensure(
        ProgrammeYear,
        (ProgrammeYear(**spec) for spec in data["programme_year"]),
        ("year",),
        result,
    )
    rows = [
        Enrollment(
            **fields(spec, skip=("year", "libraries", "history")),
            programme_year=years[(spec["year"],)],
            library=libraries[key],
        )
        for spec in data["enrollment"]
        for key in spec["libraries"]
    ]
    enrollments = ensure(Enrollment, rows, ("programme_year_id", "library_id"), result)

    by_province = officers(users)
    changes = []
    for spec in data["enrollment"]:
        for key in spec["libraries"]:
            library = libraries[key]
            enrollment = enrollments[(years[(spec["year"],)].pk, library.pk)]
            officer = by_province.get(library.province_id)
            changes += _history(
                spec, enrollment, library, _zone(provinces, library), officer, users
            )
    times = {id(change): change.changed_at for change in changes}
    saved = ensure(EnrollmentChange, changes, ("enrollment_id", "changed_at"), result)
    # The INSERT stamped them with now (auto_now_add); the history keeps the file's dates.
    backdate(
        EnrollmentChange,
        "changed_at",
        {row.pk: times[id(row)] for row in saved.values() if id(row) in times},
    )


def _history(
    spec: Spec,
    enrollment: Enrollment,
    library: Library,
    zone: ZoneInfo,
    officer: User | None,
    users: dict[str, User],
) -> list[EnrollmentChange]:
    """The enrolment's states, oldest first: the file's ``history``, or the enrolment as made on its
    joined-on day. A state's fields default to the enrolment's, its author to the province's officer; the
    last state must be the enrolment as it is (the history ends where the row is)."""
    current = {
        "partner_status": spec.get("partner_status", Enrollment.PartnerStatus.PARTNER),
        "cohort": spec.get("cohort", ""),
        "joined_on": spec.get("joined_on"),
    }
    joined = current["joined_on"] or dt.date(spec["year"], 1, 2)
    states = spec.get("history") or [{"at": dt.datetime.combine(joined, ENROLLED_AT, zone)}]
    changes = [
        EnrollmentChange(
            enrollment=enrollment,
            **{name: state.get(name, value) for name, value in current.items()},
            note=state.get("note", ""),
            changed_by=users[state["by"]] if "by" in state else officer,
            changed_at=state["at"],
        )
        for state in states
    ]
    if any(getattr(changes[-1], name) != value for name, value in current.items()):
        raise ValueError(
            f"The history of {library.name} ({spec['year']}) does not end as enrolled."
        )
    return changes


def load_activities(
    data: dict[str, Any],
    libraries: dict[str, Library],
    provinces: dict[str, Province],
    users: dict[str, User],
    result: DemoResult,
) -> dict[tuple[int, str], Activity]:
    """Activities (recorded by their province's officer) and their photos; returns them by (library, title)."""
    by_province = officers(users)
    activities = ensure(
        Activity,
        (
            Activity(
                **fields(spec, skip=("library", "photos")),
                library=libraries[spec["library"]],
                created_by=by_province.get(libraries[spec["library"]].province_id),
            )
            for spec in data["activity"]
        ),
        ("library_id", "title"),
        result,
    )

    photos, files = [], {}
    for spec in data["activity"]:
        library = libraries[spec["library"]]
        activity = activities[(library.pk, spec["title"])]
        day = spec.get("end_date") or spec["date"]
        for photo in spec.get("photos", ()):
            row = ActivityPhoto(
                activity=activity,
                caption=photo["caption"],
                uploaded_by=by_province.get(library.province_id),
                uploaded_at=dt.datetime.combine(day, UPLOADED_AT, _zone(provinces, library)),
            )
            files[id(row)] = photo["file"]
            photos.append(row)
    times = {id(row): row.uploaded_at for row in photos}

    def store_files(missing: list[ActivityPhoto]) -> None:
        for row in missing:
            content, row.width, row.height = _photo_file(files[id(row)])
            # As programs.services.activities.save_activity stores an upload: a random name, private storage.
            row.image.save("foto.jpg", content, save=False)
            result.files.append(row.image.name)

    saved = ensure(
        ActivityPhoto, photos, ("activity_id", "caption"), result, before_insert=store_files
    )
    backdate(
        ActivityPhoto,
        "uploaded_at",
        {row.pk: times[id(row)] for row in saved.values() if id(row) in times and row.pk},
    )
    return activities


def load_stories(
    data: dict[str, Any],
    libraries: dict[str, Library],
    people: dict[str, Person],
    activities: dict[tuple[int, str], Activity],
    users: dict[str, User],
    result: DemoResult,
) -> None:
    """Impact stories in every state of their workflow: written, and their consent recorded, by the province's
    officer; verified and published by the accounts the file names."""
    by_province = officers(users)
    files = {}
    rows = []
    for spec in data["impact_story"]:
        library = libraries[spec["library"]]
        officer = by_province.get(library.province_id)
        consent = bool(spec.get("consent_method"))
        story = ImpactStory(
            **fields(
                spec,
                skip=("library", "person", "activity", "photo", "verified_by", "published_by"),
            ),
            library=library,
            person=people[spec["person"]] if "person" in spec else None,
            activity=activities[(library.pk, spec["activity"])] if "activity" in spec else None,
            consent_given=consent,
            consent_recorded_by=officer if consent else None,
            created_by=officer,
            verified_by=_user(users, spec.get("verified_by")),
            published_by=_user(users, spec.get("published_by")),
        )
        if "photo" in spec:
            files[id(story)] = spec["photo"]
        rows.append(story)

    def store_files(missing: list[ImpactStory]) -> None:
        for story in missing:
            if id(story) in files:
                content, _width, _height = _photo_file(files[id(story)])
                # As programs.services.stories.save_story stores it: a random name, private storage.
                story.photo.save("photo.jpg", content, save=False)
                result.files.append(story.photo.name)

    ensure(ImpactStory, rows, ("library_id", "title"), result, before_insert=store_files)


def _user(users: dict[str, User], email: str | None) -> User | None:
    return users[email] if email else None


def delete_files(names: Iterable[str]) -> None:
    """Remove photo files a failed run stored (its rows rolled back); a file that will not go stays behind,
    unreachable (no row names it), rather than hide why the run failed."""
    storage = ActivityPhoto._meta.get_field("image").storage
    for name in names:
        with contextlib.suppress(OSError):
            storage.delete(name)
