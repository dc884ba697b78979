"""The national sample's meetings (with participants, attendance, sessions, RTL rows, awards) and programme rows.

Called by ``reports.national_sample.load_national_sample`` inside its transaction; see that module for the
sizes, the markers and the guarantees.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from libraries.models import Library
from meetings.models import (
    Attendance,
    Award,
    Meeting,
    Participation,
    RtlAction,
    RtlFollowUp,
    Session,
)
from plm_portal.choices import LineOfWork
from plm_portal.dates import months_after
from reports.national_sample import (
    TITLE_PREFIX,
    YEARS,
    SampleContext,
    allocate,
    bulk_insert,
    scaled,
)

Role = Participation.Role
#: The first seats of every meeting, in order; the rest are village libraries, impact and champions.
LEADING_ROLES = (
    Role.PROVINCIAL_OFFICE,
    Role.MASTER_TRAINER,
    Role.REGIONAL_FACILITATOR,
    Role.RESOURCE_PERSON,
    Role.COMMITTEE,
    Role.COMMITTEE,
    *[Role.REGENCY_OFFICE] * 6,
)
OTHER_ROLES = (Role.VILLAGE_LIBRARY, Role.IMPACT, Role.DESA_CHAMPION)
OTHER_WEIGHTS = (70, 15, 15)
STATUS_WEIGHTS = {
    Meeting.Status.DONE: 85,
    Meeting.Status.ONGOING: 3,
    Meeting.Status.PLANNED: 8,
    Meeting.Status.CANCELLED: 4,
}
AGENDA = ("Pembukaan", "Paparan program TPBIS", "Berbagi praktik baik", "Penyusunan RTL")
RTL_ACTIVITIES = (
    "Kelas literasi digital untuk ibu rumah tangga",
    "Pelatihan pemasaran daring produk UMKM",
    "Audiensi dengan kepala desa tentang anggaran perpustakaan",
    "Publikasi kegiatan di media sosial desa",
    "Pojok baca di posyandu",
    "Pelatihan budidaya ikan air tawar",
)


def load_meetings(ctx: SampleContext) -> None:
    """Meetings spread over every province, then their rows, a few hundred meetings at a time."""
    rng = ctx.rng
    shares = allocate(
        max(scaled("meetings", ctx.scale), len(ctx.provinces)),
        [ctx.weight(p) for p in ctx.provinces],
        minimum=1,
    )
    meetings: list[Meeting] = []
    for province, count in zip(ctx.provinces, shares, strict=True):
        for _ in range(count):
            meetings.append(_meeting(ctx, province, len(meetings)))
    bulk_insert(Meeting, meetings, ctx.result)
    _assign_facilitators(ctx, meetings)

    seats = allocate(scaled("participations", ctx.scale), [rng.uniform(0.6, 1.4) for _ in meetings])
    seats = [min(n, len(ctx.people[m.province_id])) for m, n in zip(meetings, seats, strict=True)]
    held = {Meeting.Status.DONE, Meeting.Status.ONGOING}
    capacity = [
        n * len(m.days) if m.status in held else 0 for m, n in zip(meetings, seats, strict=True)
    ]
    present = allocate(min(scaled("attendance", ctx.scale), sum(capacity)), capacity)
    done = [
        n if m.status == Meeting.Status.DONE else 0 for m, n in zip(meetings, seats, strict=True)
    ]
    rtl_rows = allocate(scaled("rtl", ctx.scale), done)
    for start in range(0, len(meetings), 500):
        chunk = range(start, min(start + 500, len(meetings)))
        participations = _participations(ctx, [(meetings[i], seats[i]) for i in chunk])
        _attendance(ctx, [(meetings[i], participations[i - start], present[i]) for i in chunk])
        _sessions(ctx, [meetings[i] for i in chunk])
        _rtl(ctx, [(meetings[i], participations[i - start], rtl_rows[i]) for i in chunk])
    _awards(ctx, meetings)


def _meeting(ctx: SampleContext, province, index: int) -> Meeting:
    rng = ctx.rng
    kind = Meeting.Kind.PLM if rng.random() < 0.6 else Meeting.Kind.BIMTEK
    year = rng.choice(YEARS)
    start = dt.date(year, 2, 1) + dt.timedelta(days=rng.randrange(290))
    days = 1 if kind == Meeting.Kind.PLM else rng.randint(3, 5)
    status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
    mode = rng.choices(list(Meeting.Mode), (70, 15, 15))[0]
    # Every status and mode at least once, whatever the scale.
    if index < len(Meeting.Status):
        status = list(Meeting.Status)[index]
    if index < len(Meeting.Mode):
        mode = list(Meeting.Mode)[index]
    regencies = ctx.regencies[province.code]
    venue = rng.choice(regencies) if regencies else None
    label = "PLM" if kind == Meeting.Kind.PLM else "Bimtek TPBIS"
    wave = rng.randint(1, 4)
    return Meeting(
        kind=kind,
        title=f"{TITLE_PREFIX}{label} {province.name} {year} gelombang {wave} #{index + 1}",
        province=province,
        year=year,
        wave=wave,
        start_date=start,
        end_date=start + dt.timedelta(days=days - 1),
        mode=mode,
        venue_regency=venue,
        venue_name=f"Aula {venue.name}" if venue else "",
        online_url="https://zoom.example/j/sample" if mode != Meeting.Mode.TATAP_MUKA else "",
        host_library=ctx.provincial_office[province.code],
        opened_by="Kepala Dinas Perpustakaan Provinsi",
        objectives="Berbagi praktik baik transformasi perpustakaan berbasis inklusi sosial.",
        status=status,
        checkin_token=f"sampel-{rng.getrandbits(128):032x}",
        created_by=ctx.officers[province.code],
    )


def _assign_facilitators(ctx: SampleContext, meetings: list[Meeting]) -> None:
    through = Meeting.assigned_facilitators.through
    rows = []
    for meeting in meetings:
        picked = ctx.rng.sample(ctx.facilitators, min(len(ctx.facilitators), ctx.rng.randint(1, 2)))
        rows += [through(meeting_id=meeting.pk, user_id=user.pk) for user in picked]
    bulk_insert(through, rows, ctx.result)


def _participations(
    ctx: SampleContext, plan: list[tuple[Meeting, int]]
) -> list[list[Participation]]:
    rng = ctx.rng
    rows: list[list[Participation]] = []
    for meeting, seats in plan:
        code = meeting.province_id
        villages = ctx.village_libraries[code]
        offices = ctx.regency_offices[code]
        people = rng.sample(ctx.people[code], seats)
        meeting_rows = []
        for n, person in enumerate(people):
            if n < len(LEADING_ROLES):
                role = LEADING_ROLES[n]
            else:
                role = rng.choices(OTHER_ROLES, OTHER_WEIGHTS)[0]
            library: Library | None = None
            if role in (Role.PROVINCIAL_OFFICE, Role.COMMITTEE):
                library = ctx.provincial_office[code]
            elif role == Role.REGENCY_OFFICE and offices:
                library = rng.choice(offices)
            elif role in OTHER_ROLES and villages:
                library = rng.choice(villages)
            meeting_rows.append(
                Participation(meeting=meeting, person=person, role=role, library=library)
            )
        rows.append(meeting_rows)
    bulk_insert(Participation, [p for meeting_rows in rows for p in meeting_rows], ctx.result)
    return rows


def _attendance(ctx: SampleContext, plan: list[tuple[Meeting, list[Participation], int]]) -> None:
    rng = ctx.rng
    rows = []
    for meeting, participations, count in plan:
        if not count:
            continue
        zone = ZoneInfo(meeting.province.time_zone)
        days = meeting.days
        recorder = ctx.officers[meeting.province_id]
        slots = rng.sample(range(len(participations) * len(days)), count)
        for slot in sorted(slots):
            participation, day = participations[slot // len(days)], days[slot % len(days)]
            at = dt.datetime.combine(day, dt.time(7, 30), tzinfo=zone)
            self_checkin = rng.random() < 0.3
            rows.append(
                Attendance(
                    participation=participation,
                    day=day,
                    checked_in_at=at + dt.timedelta(minutes=rng.randrange(120)),
                    method=Attendance.Method.SELF if self_checkin else Attendance.Method.MANUAL,
                    recorded_by=None if self_checkin else recorder,
                )
            )
    bulk_insert(Attendance, rows, ctx.result)


def _sessions(ctx: SampleContext, meetings: list[Meeting]) -> None:
    rows = [
        Session(
            meeting=meeting,
            order=order,
            title=title,
            date=meeting.start_date,
            start_time=dt.time(8 + 2 * order, 0),
            end_time=dt.time(9 + 2 * order, 30),
        )
        for meeting in meetings
        for order, title in enumerate(AGENDA)
    ]
    bulk_insert(Session, rows, ctx.result)


def _rtl(ctx: SampleContext, plan: list[tuple[Meeting, list[Participation], int]]) -> None:
    rng = ctx.rng
    rows = []
    for meeting, participations, count in plan:
        libraries = sorted(
            {p.library for p in participations if p.library_id}, key=lambda lib: lib.pk
        ) or [ctx.provincial_office[meeting.province_id]]
        for order in range(count):
            status = rng.choice(list(RtlAction.Status))
            due = meeting.end_date + dt.timedelta(days=rng.choice((30, 90, 180)))
            rows.append(
                RtlAction(
                    meeting=meeting,
                    library=rng.choice(libraries),
                    line_of_work=rng.choice(list(LineOfWork)),
                    activity=rng.choice(RTL_ACTIVITIES),
                    objective="Meningkatkan keterampilan masyarakat desa.",
                    target_group="Ibu rumah tangga dan pemuda desa",
                    timeline=f"{due:%B %Y}",
                    due_date=due,
                    responsible=ctx.person_name()[0],
                    indicator="Jumlah peserta dan produk yang dihasilkan",
                    order=order,
                    status=status,
                    progress_note=""
                    if status == RtlAction.Status.PLANNED
                    else "Sudah dilaksanakan sebagian.",
                    progress_date=None if status == RtlAction.Status.PLANNED else due,
                )
            )
    bulk_insert(RtlAction, rows, ctx.result)
    # Follow-ups 1, 3 and 6 months after each meeting; those already due carry what the row's status says.
    today = dt.date.today()
    checked = {
        RtlAction.Status.DONE: RtlFollowUp.Status.DONE,
        RtlAction.Status.IN_PROGRESS: RtlFollowUp.Status.PARTIAL,
        RtlAction.Status.PLANNED: RtlFollowUp.Status.NOT_DONE,
    }
    follow_ups = []
    for row in rows:
        for month in RtlFollowUp.Month:
            due = months_after(row.meeting.end_date, month)
            done = due <= today and rng.random() < 0.8
            follow_ups.append(
                RtlFollowUp(
                    rtl_action=row,
                    month=month,
                    due_date=due,
                    status=checked[row.status] if done else RtlFollowUp.Status.PENDING,
                    note="Dicek saat kunjungan pendampingan." if done else "",
                    recorded_by=ctx.officers.get(row.meeting.province_id) if done else None,
                    recorded_at=dt.datetime.combine(due, dt.time(10), dt.UTC) if done else None,
                )
            )
    bulk_insert(RtlFollowUp, follow_ups, ctx.result)


def _awards(ctx: SampleContext, meetings: list[Meeting]) -> None:
    rng = ctx.rng
    ranks = min(10, scaled("award_ranks", ctx.scale, minimum=1))
    # Non-sample awards keep their ranks; the sample takes the ranks still free.
    taken = set(Award.objects.values_list("province_id", "year", "category", "rank"))
    presented_at = {
        (m.province_id, m.year): m
        for m in meetings
        if m.kind == Meeting.Kind.PLM and m.status == Meeting.Status.DONE
    }
    rows = []
    for province in ctx.provinces:
        for year in YEARS:
            for category, candidates in (
                (Award.Category.BEST_REGENCY_LIBRARY, ctx.regency_offices[province.code]),
                (Award.Category.BEST_VILLAGE_LIBRARY, ctx.village_libraries[province.code]),
            ):
                free = [r for r in range(1, 11) if (province.code, year, category, r) not in taken]
                winners = rng.sample(candidates, min(ranks, len(candidates), len(free)))
                for rank, library in zip(free, winners, strict=False):
                    rows.append(
                        Award(
                            province=province,
                            year=year,
                            category=category,
                            rank=rank,
                            library=library,
                            citation=f"Atas inovasi layanan berbasis inklusi sosial tahun {year}.",
                            meeting=presented_at.get((province.code, year)),
                        )
                    )
    bulk_insert(Award, rows, ctx.result)
