"""A national sample for measuring the portal at the size of the whole programme: ``load_national_sample``.

Sizes at scale 1 are those of issue 12 (38 provinces, 1,675 meetings, 100,363 participations, ...); every
count scales linearly with ``scale`` except the regions and the offices (one per province and per regency,
whatever the scale). The rows are made from a ``random.Random`` seeded with the scale, so the same scale on
the same regions gives the same rows.

Sample rows carry a marker and nothing else is touched: users, people and libraries have an e-mail address at
``@sample.test`` (a reserved domain), meetings a title starting with ``[Sampel]``; participations, attendance,
RTL rows, sessions and awards hang off those. Everything is written in one transaction, so the sample is either
all there or absent: a second run sees it and creates nothing. Never run by migrations; sends no mail.

Lives in ``reports`` because it writes rows of every app (README, "Layout"); the meetings and programme rows
are made by ``reports.national_sample_meetings``.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.db import models, transaction

from libraries.models import Library, Person, Province, Regency, Village
from meetings.models import Meeting
from plm_portal.choices import Gender
from plm_portal.models import User

SAMPLE_DOMAIN = "sample.test"
TITLE_PREFIX = "[Sampel] "
BATCH_SIZE = 5000
YEARS = (2022, 2023, 2024, 2025)

#: Sizes at scale 1 (issue 12); regions and offices are not scaled.
TARGETS: dict[str, int] = {
    "village_libraries": 3141 - 38 - 514,
    "people": 33_471,
    "meetings": 1_675,
    "participations": 100_363,
    "attendance": 90_237,
    "rtl": 16_729,
    "national_users": 5,
    "facilitator_users": 120,
    "activities": 12_000,
    "impact_stories": 1_500,
    "award_ranks": 3,  # per province, year and category (1 to 10)
}

MALE_NAMES = (
    "Budi", "Agus", "Ahmad", "Andi", "Bambang", "Dedi", "Eko", "Fajar", "Hendra", "Irfan", "Joko", "Rizki",
    "Slamet", "Taufik", "Wahyu", "Yusuf", "Arif", "Dimas", "Hadi", "Rudi",
)  # fmt: skip
FEMALE_NAMES = (
    "Siti", "Dewi", "Sri", "Ayu", "Fitri", "Indah", "Lestari", "Maya", "Nur", "Putri", "Rina", "Sari",
    "Wulan", "Yanti", "Ratna", "Dian", "Eka", "Lina", "Mega", "Novi",
)  # fmt: skip
FAMILY_NAMES = (
    "Santoso", "Wijaya", "Saputra", "Hidayat", "Pratama", "Lubis", "Nasution", "Siregar", "Harahap",
    "Simanjuntak", "Kusuma", "Setiawan", "Gunawan", "Rahmawati", "Susanti", "Hasibuan", "Tanjung",
    "Purba", "Sitompul", "Wibowo", "Nugroho", "Halim", "Syahputra", "Rangkuti", "Manurung",
)  # fmt: skip
POSITIONS = (
    "Kepala Perpustakaan Desa", "Pustakawan", "Pengelola Perpustakaan", "Kepala Desa", "Relawan",
    "Kepala Bidang Layanan", "Pustakawan Ahli Muda", "Staf Dinas", "Fasilitator", "Guru",
)  # fmt: skip


class RegionsMissing(CommandError):
    """There are no provinces to spread the sample over."""


@dataclass
class SampleResult:
    """Rows created per model label; ``already_loaded`` when a sample was found and nothing was written."""

    created: Counter[str] = field(default_factory=Counter)
    already_loaded: bool = False

    @property
    def total_created(self) -> int:
        return sum(self.created.values())


def scaled(name: str, scale: float, *, minimum: int = 0) -> int:
    """The target ``name`` at ``scale``, rounded, at least ``minimum``."""
    return max(minimum, round(TARGETS[name] * scale))


def allocate(total: int, weights: Sequence[float], *, minimum: int = 0) -> list[int]:
    """Split ``total`` over ``weights`` (largest remainder), each share at least ``minimum``."""
    if not weights:
        return []
    shares = [minimum] * len(weights)
    rest = total - minimum * len(weights)
    weight_sum = sum(weights)
    if rest <= 0 or weight_sum <= 0:
        return shares
    exact = [rest * weight / weight_sum for weight in weights]
    floors = [int(value) for value in exact]
    order = sorted(range(len(weights)), key=lambda i: (floors[i] - exact[i], i))
    for i in order[: rest - sum(floors)]:
        floors[i] += 1
    return [share + extra for share, extra in zip(shares, floors, strict=True)]


def sample_email(local: str) -> str:
    return f"{local}@{SAMPLE_DOMAIN}"


def sample_exists() -> bool:
    """Whether a sample is already in the database (its users, people or meetings)."""
    suffix = f"@{SAMPLE_DOMAIN}"
    return (
        User.objects.filter(email__endswith=suffix).exists()
        or Person.objects.filter(email__endswith=suffix).exists()
        or Meeting.objects.filter(title__startswith=TITLE_PREFIX).exists()
    )


def bulk_insert[M: models.Model](
    model: type[M], rows: Iterable[M], result: SampleResult
) -> list[M]:
    """Insert ``rows`` in batches and count them; returns them with their primary keys."""
    objs = list(rows)
    model._default_manager.bulk_create(objs, batch_size=BATCH_SIZE)
    result.created[model._meta.label] += len(objs)
    return objs


@dataclass
class SampleContext:
    """What the steps share: the random source, the regions and the rows made so far."""

    scale: float
    rng: random.Random
    result: SampleResult
    provinces: list[Province]
    regencies: dict[str, list[Regency]]  # province code -> its regencies
    provincial_office: dict[str, Library] = field(default_factory=dict)
    regency_offices: dict[str, list[Library]] = field(default_factory=lambda: defaultdict(list))
    village_libraries: dict[str, list[Library]] = field(default_factory=lambda: defaultdict(list))
    people: dict[str, list[Person]] = field(default_factory=lambda: defaultdict(list))
    officers: dict[str, User] = field(default_factory=dict)
    facilitators: list[User] = field(default_factory=list)

    def weight(self, province: Province) -> int:
        """How big a province is in the sample: its number of regencies (a proxy for its population)."""
        return len(self.regencies[province.code]) + 1

    def person_name(self) -> tuple[str, str, str]:
        """(full name, gender, e-mail local part stem)."""
        gender = self.rng.choice((Gender.MALE, Gender.FEMALE))
        given = self.rng.choice(MALE_NAMES if gender == Gender.MALE else FEMALE_NAMES)
        family = self.rng.choice(FAMILY_NAMES)
        return f"{given} {family}", gender, f"{given}.{family}".lower()


def load_national_sample(*, scale: float, password: str | None = None) -> SampleResult:
    """Fill the database with the national sample at ``scale``; nothing if a sample is already there.

    Side effects: inserts libraries, people, users, meetings with their participants, attendance, sessions,
    RTL rows and awards, programme years (only missing years), enrolments, activities and impact stories, all
    in one transaction. Needs the regions (``load_regions``); uses whatever provinces and regencies exist.
    """
    from reports import national_sample_meetings, national_sample_programme

    if scale <= 0:
        raise ValueError("scale must be positive")
    result = SampleResult()
    if sample_exists():
        result.already_loaded = True
        return result
    provinces = list(Province.objects.order_by("code"))
    if not provinces:
        raise RegionsMissing("No provinces: run `manage.py load_regions` first.")
    regencies: dict[str, list[Regency]] = {province.code: [] for province in provinces}
    for regency in Regency.objects.order_by("code"):
        regencies[regency.province_id].append(regency)
    ctx = SampleContext(
        scale=scale,
        rng=random.Random(f"plm-national-sample:{scale!r}"),
        result=result,
        provinces=provinces,
        regencies=regencies,
    )
    with transaction.atomic():
        _load_libraries(ctx)
        _load_people(ctx)
        _load_users(ctx, password)
        national_sample_meetings.load_meetings(ctx)
        national_sample_programme.load_programme(ctx)
    return result


def _load_libraries(ctx: SampleContext) -> None:
    villages: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for code, name in Village.objects.order_by("code").values_list("code", "name"):
        villages[code[:5]].append((code, name))
    all_regencies = [
        regency for province in ctx.provinces for regency in ctx.regencies[province.code]
    ]
    # In proportion to each regency's villages, so no regency is asked for more villages than it has.
    wanted = scaled("village_libraries", ctx.scale)
    capacity = [len(villages[r.code]) for r in all_regencies]
    per_regency = allocate(min(wanted, sum(capacity)), capacity)
    rows: list[Library] = []
    for province in ctx.provinces:
        rows.append(
            Library(
                name=f"Dinas Perpustakaan Provinsi {province.name} (sampel)",
                kind=Library.Kind.PROVINCIAL_OFFICE,
                province=province,
                email=sample_email(f"dinas.{province.code}"),
                address=f"Jl. Jenderal Sudirman No. {ctx.rng.randint(1, 200)}",
                head_name=ctx.person_name()[0],
                head_title="Kepala Dinas",
            )
        )
    for regency, count in zip(all_regencies, per_regency, strict=True):
        rows.append(
            Library(
                name=f"Dinas Perpustakaan {regency.name} (sampel {regency.code})",
                kind=Library.Kind.REGENCY_OFFICE,
                province_id=regency.province_id,
                regency=regency,
                email=sample_email(f"dinas.{regency.code}"),
                head_name=ctx.person_name()[0],
                head_title="Kepala Dinas",
            )
        )
        picked = ctx.rng.sample(villages[regency.code], min(count, len(villages[regency.code])))
        for code, name in sorted(picked):
            rows.append(
                Library(
                    name=f"Perpustakaan Desa {name} (sampel {code})",
                    kind=Library.Kind.VILLAGE,
                    province_id=regency.province_id,
                    regency=regency,
                    village_id=code,
                    email=sample_email(f"perpusdes.{code}"),
                    phone=f"+62 8{ctx.rng.randint(10, 99)} {ctx.rng.randint(1000, 9999)} "
                    f"{ctx.rng.randint(1000, 9999)}",
                    head_name=ctx.person_name()[0],
                    head_title="Kepala Perpustakaan Desa",
                )
            )
    for library in bulk_insert(Library, rows, ctx.result):
        if library.kind == Library.Kind.PROVINCIAL_OFFICE:
            ctx.provincial_office[library.province_id] = library
        elif library.kind == Library.Kind.REGENCY_OFFICE:
            ctx.regency_offices[library.province_id].append(library)
        else:
            ctx.village_libraries[library.province_id].append(library)


def _load_people(ctx: SampleContext) -> None:
    # Phones are unique per province: skip any number a non-sample person already has there.
    taken = set(Person.objects.exclude(phone="").values_list("province_id", "phone"))
    shares = allocate(
        scaled("people", ctx.scale), [ctx.weight(p) for p in ctx.provinces], minimum=1
    )
    rows: list[Person] = []
    serial = 0
    for province, count in zip(ctx.provinces, shares, strict=True):
        libraries = ctx.village_libraries[province.code] or [ctx.provincial_office[province.code]]
        for _ in range(count):
            serial += 1
            full_name, gender, stem = ctx.person_name()
            phone = f"+62812{serial:08d}"
            while (province.code, phone) in taken:
                serial += 1
                phone = f"+62812{serial:08d}"
            home = ctx.rng.choice(libraries) if ctx.rng.random() < 0.8 else None
            rows.append(
                Person(
                    full_name=full_name,
                    gender=gender,
                    phone=phone if ctx.rng.random() < 0.95 else "",
                    email=sample_email(f"{stem}.{serial}"),
                    position=ctx.rng.choice(POSITIONS),
                    province=province,
                    home_library=home,
                )
            )
    for person in bulk_insert(Person, rows, ctx.result):
        ctx.people[person.province_id].append(person)


def _load_users(ctx: SampleContext, password: str | None) -> None:
    # One hash for every account: hashing thousands of passwords would take minutes.
    password_hash = make_password(password)
    rows = [
        User(
            email=sample_email(f"nasional.{n}"),
            full_name=ctx.person_name()[0],
            role=User.Role.NATIONAL,
            password=password_hash,
        )
        for n in range(1, scaled("national_users", ctx.scale, minimum=1) + 1)
    ]
    rows += [
        User(
            email=sample_email(f"petugas.{province.code}"),
            full_name=ctx.person_name()[0],
            role=User.Role.PROVINCIAL,
            province=province,
            password=password_hash,
        )
        for province in ctx.provinces
    ]
    rows += [
        User(
            email=sample_email(f"fasilitator.{n}"),
            full_name=ctx.person_name()[0],
            role=User.Role.FACILITATOR,
            password=password_hash,
        )
        for n in range(1, scaled("facilitator_users", ctx.scale, minimum=1) + 1)
    ]
    for user in bulk_insert(User, rows, ctx.result):
        if user.role == User.Role.PROVINCIAL:
            ctx.officers[user.province_id] = user
        elif user.role == User.Role.FACILITATOR:
            ctx.facilitators.append(user)
