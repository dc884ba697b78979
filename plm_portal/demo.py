"""Demo data: the PLM Jambi 2022 of the public article, and enough around it to click through the portal.

From the article (shared/domain): TPBIS, the Bimtek SPP-TIK of March to June 2022, and the PLM Provinsi Jambi on
Tuesday 2 August 2022 in Kota Jambi, opened by the head of the provincial library and archives office,
Syamsul Rizal, with 16 participants and the five objectives. Everything else (people, phone numbers, e-mail
addresses, venues, follow-up plans, awards, activities, stories) is invented; phone numbers follow the +62 8xx
form and e-mail addresses use example.id or demo.test.

`load_demo()` is idempotent: every row has a natural key, rows already there are left exactly as they are
(a second run writes nothing), and missing rows are inserted in bulk, one INSERT per model.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.management.base import CommandError
from django.db import models, transaction
from django.utils.translation import gettext as _

from libraries.models import Library, Person, Province, Regency, Village
from meetings.models import Attendance, Award, Meeting, Participation, RtlAction, Session
from plm_portal.choices import Gender, LineOfWork
from plm_portal.models import User
from programs.models import Activity, Enrollment, ImpactStory, ProgrammeYear

DEMO_PASSWORD = "plm-demo-2022"  # noqa: S105 - published on purpose: `make run` prints it.

JAMBI = "15"
RIAU = "14"

# Short names keep the data tables below readable.
L = Gender.MALE
P = Gender.FEMALE
Role = Participation.Role
RtlStatus = RtlAction.Status


class RegionsNotLoaded(CommandError):
    """The Kemendagri region rows the demo refers to are missing."""


@dataclass
class DemoResult:
    """What one run inserted, per model label ("libraries.Library": 19). Empty on a second run."""

    created: Counter[str] = field(default_factory=Counter)

    @property
    def total_created(self) -> int:
        return sum(self.created.values())


# --- accounts ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str
    province: str | None
    is_superuser: bool = False


DEMO_ACCOUNTS = (
    DemoAccount(
        "nasional@demo.test", "Ratna Wulandari", User.Role.NATIONAL, None, is_superuser=True
    ),
    DemoAccount("jambi@demo.test", "Fitri Handayani", User.Role.PROVINCIAL, JAMBI),
    DemoAccount("riau@demo.test", "Joko Prasetyo", User.Role.PROVINCIAL, RIAU),
    # The same person as the Fasilitator Daerah of the Jambi PLM (Person "fasda_jambi").
    DemoAccount("fasilitator@demo.test", "Yusuf Maulana", User.Role.FACILITATOR, None),
)


# --- libraries -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Library:
    key: str
    province: str
    name: str
    kind: str
    regency: str | None = None
    village: str | None = None
    address: str = ""
    phone: str = ""
    email: str = ""
    head_name: str = ""
    head_title: str = ""


def _office(
    key: str, province: str, regency: str, name: str, address: str, phone: str, head: str
) -> _Library:
    return _Library(
        key,
        province,
        name,
        Library.Kind.REGENCY_OFFICE,
        regency=regency,
        address=address,
        phone=phone,
        email=f"{key.replace('_', '')}@example.id",
        head_name=head,
        head_title=f"Kepala {name}",
    )


def _village_library(key: str, province: str, village: str, name: str, address: str) -> _Library:
    return _Library(
        key,
        province,
        f"Perpustakaan Desa {name}",
        Library.Kind.VILLAGE,
        regency=village[:5],
        village=village,
        address=address,
        email=f"perpusdes.{key.removeprefix('desa_').replace('_', '')}@example.id",
    )


LIBRARIES: tuple[_Library, ...] = (
    # Jambi
    _Library(
        "prov_jambi",
        JAMBI,
        "Dinas Perpustakaan dan Arsip Daerah Provinsi Jambi",
        Library.Kind.PROVINCIAL_OFFICE,
        address="Jl. Jenderal Sudirman No. 1, Kel. Thehok, Kec. Jambi Selatan, Kota Jambi, Jambi 36138",
        phone="+627415550101",
        email="dpad.jambi@example.id",
        head_name="Syamsul Rizal",
        head_title="Kepala Dinas Perpustakaan dan Arsip Daerah Provinsi Jambi",
    ),
    _office(
        "kota_jambi",
        JAMBI,
        "15.71",
        "Dinas Perpustakaan dan Arsip Kota Jambi",
        "Jl. Jenderal Ahmad Yani No. 12, Kec. Telanaipura, Kota Jambi 36122",
        "+627415550201",
        "Drs. Hasan Basri, M.Si.",
    ),
    _office(
        "muaro_jambi",
        JAMBI,
        "15.05",
        "Dinas Perpustakaan dan Arsip Daerah Kabupaten Muaro Jambi",
        "Jl. Lintas Timur Km. 5, Sengeti, Kabupaten Muaro Jambi 36381",
        "+627415550301",
        "Ir. Marzuki Harahap",
    ),
    _office(
        "batanghari",
        JAMBI,
        "15.04",
        "Dinas Perpustakaan dan Arsip Daerah Kabupaten Batanghari",
        "Jl. Gajah Mada No. 7, Muara Bulian, Kabupaten Batanghari 36613",
        "+627435550401",
        "Hj. Rosmawati, S.Sos.",
    ),
    _office(
        "sungai_penuh",
        JAMBI,
        "15.72",
        "Dinas Perpustakaan dan Arsip Kota Sungai Penuh",
        "Jl. Depati Parbo No. 21, Kec. Sungai Penuh, Kota Sungai Penuh 37112",
        "+627485550501",
        "Alfian Depati, S.E.",
    ),
    _office(
        "kerinci",
        JAMBI,
        "15.01",
        "Dinas Perpustakaan dan Arsip Daerah Kabupaten Kerinci",
        "Jl. Raya Siulak No. 3, Kabupaten Kerinci 37162",
        "+627485550601",
        "Syafrudin Kasim, S.Pd.",
    ),
    _office(
        "tebo",
        JAMBI,
        "15.09",
        "Dinas Perpustakaan dan Arsip Daerah Kabupaten Tebo",
        "Jl. Lintas Sumatera Km. 2, Muara Tebo, Kabupaten Tebo 37571",
        "+627445550701",
        "Dra. Nurlela",
    ),
    _village_library(
        "desa_mendalo_darat",
        JAMBI,
        "15.05.01.2007",
        "Mendalo Darat",
        "Kantor Desa Mendalo Darat, Kec. Jambi Luar Kota, Kabupaten Muaro Jambi 36361",
    ),
    _village_library(
        "desa_sungai_duren",
        JAMBI,
        "15.05.01.2006",
        "Sungai Duren",
        "Jl. Desa Sungai Duren RT 04, Kec. Jambi Luar Kota, Kabupaten Muaro Jambi 36361",
    ),
    _village_library(
        "desa_sengkati_gedang",
        JAMBI,
        "15.04.01.2003",
        "Sengkati Gedang",
        "Balai Desa Sengkati Gedang, Kec. Mersam, Kabupaten Batanghari 36654",
    ),
    _village_library(
        "desa_koto_bento",
        JAMBI,
        "15.72.02.2003",
        "Koto Bento",
        "Kantor Desa Koto Bento, Kec. Pesisir Bukit, Kota Sungai Penuh 37111",
    ),
    _village_library(
        "desa_lempur_mudik",
        JAMBI,
        "15.01.01.2003",
        "Lempur Mudik",
        "Kantor Desa Lempur Mudik, Kec. Gunung Raya, Kabupaten Kerinci 37174",
    ),
    _village_library(
        "desa_teluk_pandak",
        JAMBI,
        "15.09.01.2005",
        "Teluk Pandak",
        "Kantor Desa Teluk Pandak, Kec. Tebo Tengah, Kabupaten Tebo 37571",
    ),
    # Riau
    _Library(
        "prov_riau",
        RIAU,
        "Dinas Perpustakaan dan Kearsipan Provinsi Riau",
        Library.Kind.PROVINCIAL_OFFICE,
        address="Jl. Jenderal Sudirman No. 462, Kota Pekanbaru, Riau 28116",
        phone="+627615550101",
        email="dispersip.riau@example.id",
        head_name="Dra. Hasnah Yuliani, M.Si.",
        head_title="Kepala Dinas Perpustakaan dan Kearsipan Provinsi Riau",
    ),
    _office(
        "pekanbaru",
        RIAU,
        "14.71",
        "Dinas Perpustakaan dan Kearsipan Kota Pekanbaru",
        "Jl. Tuanku Tambusai No. 30, Kota Pekanbaru 28282",
        "+627615550201",
        "Zulfikar Amri, S.Sos.",
    ),
    _office(
        "kampar",
        RIAU,
        "14.01",
        "Dinas Perpustakaan dan Kearsipan Kabupaten Kampar",
        "Jl. Prof. M. Yamin No. 5, Bangkinang, Kabupaten Kampar 28412",
        "+627625550301",
        "Darmawan Lubis, S.H.",
    ),
    _office(
        "siak",
        RIAU,
        "14.08",
        "Dinas Perpustakaan dan Kearsipan Kabupaten Siak",
        "Jl. Sultan Syarif Kasim No. 11, Siak Sri Indrapura, Kabupaten Siak 28773",
        "+627645550401",
        "Yenni Marlina, S.Pd.",
    ),
    _village_library(
        "desa_rumbio",
        RIAU,
        "14.01.02.2008",
        "Rumbio",
        "Kantor Desa Rumbio, Kec. Kampar, Kabupaten Kampar 28461",
    ),
    _village_library(
        "desa_buantan_besar",
        RIAU,
        "14.08.01.2015",
        "Buantan Besar",
        "Kantor Desa Buantan Besar, Kec. Siak, Kabupaten Siak 28673",
    ),
)


# --- people ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Person:
    key: str
    province: str
    full_name: str
    gender: str
    phone: str
    position: str
    library: str | None = None
    institution: str = ""
    email: str = ""


PEOPLE: tuple[_Person, ...] = (
    # Jambi: Dinas Perpustakaan Provinsi
    _Person(
        "nurhayati",
        JAMBI,
        "Nurhayati",
        P,
        "+6281274100101",
        "Kepala Bidang Pengembangan Perpustakaan",
        "prov_jambi",
        email="nurhayati@example.id",
    ),
    _Person(
        "andi",
        JAMBI,
        "Andi Kurniawan",
        L,
        "+6281274100102",
        "Pustakawan Ahli Muda",
        "prov_jambi",
        email="andi.kurniawan@example.id",
    ),
    # Jambi: Dinas Perpustakaan Kabupaten/Kota
    _Person(
        "siti",
        JAMBI,
        "Siti Aminah",
        P,
        "+6281274100201",
        "Kepala Bidang Layanan Perpustakaan",
        "kota_jambi",
        email="siti.aminah@example.id",
    ),
    _Person(
        "ridwan",
        JAMBI,
        "Muhammad Ridwan",
        L,
        "+6281274100301",
        "Pustakawan Ahli Pertama",
        "muaro_jambi",
    ),
    _Person(
        "yuliana",
        JAMBI,
        "Yuliana Sari",
        P,
        "+6281274100401",
        "Kepala Seksi Layanan dan Otomasi",
        "batanghari",
        email="yuliana.sari@example.id",
    ),
    _Person("rahmat", JAMBI, "Rahmat Hidayat", L, "+6281274100501", "Pustakawan", "sungai_penuh"),
    _Person(
        "desi",
        JAMBI,
        "Desi Ratnasari",
        P,
        "+6281274100601",
        "Pustakawan Ahli Muda",
        "kerinci",
        email="desi.ratnasari@example.id",
    ),
    _Person(
        "hendra", JAMBI, "Hendra Gunawan", L, "+6281274100701", "Kepala Bidang Perpustakaan", "tebo"
    ),
    # Jambi: Perpustakaan Desa
    _Person(
        "sri",
        JAMBI,
        "Sri Wahyuni",
        P,
        "+6285266200101",
        "Pengelola Perpustakaan Desa",
        "desa_sungai_duren",
    ),
    _Person(
        "zulkifli",
        JAMBI,
        "Zulkifli",
        L,
        "+6285266200102",
        "Pengelola Perpustakaan Desa",
        "desa_sengkati_gedang",
    ),
    _Person(
        "rina",
        JAMBI,
        "Rina Marlina",
        P,
        "+6285266200103",
        "Pengelola Perpustakaan Desa",
        "desa_koto_bento",
    ),
    _Person(
        "firmansyah",
        JAMBI,
        "Firmansyah",
        L,
        "+6285266200104",
        "Pengelola Perpustakaan Desa",
        "desa_teluk_pandak",
    ),
    # Jambi: Impact/Dampak
    _Person(
        "ernawati",
        JAMBI,
        "Ernawati",
        P,
        "+6282177300101",
        "Pelaku UMKM keripik pisang",
        "desa_sungai_duren",
        institution="Warga Desa Sungai Duren",
    ),
    _Person(
        "doni",
        JAMBI,
        "Doni Saputra",
        L,
        "+6282177300102",
        "Petani kopi",
        "desa_koto_bento",
        institution="Warga Desa Koto Bento",
    ),
    _Person(
        "ilham",
        JAMBI,
        "Ilham Ramadhan",
        L,
        "+6282177300103",
        "Operator jasa desain dan cetak",
        "desa_sengkati_gedang",
        institution="Warga Desa Sengkati Gedang",
    ),
    # Jambi: Desa Champion
    _Person(
        "suryadi",
        JAMBI,
        "Suryadi",
        L,
        "+6281366400101",
        "Kepala Desa Mendalo Darat",
        "desa_mendalo_darat",
        institution="Pemerintah Desa Mendalo Darat",
    ),
    _Person(
        "nelly",
        JAMBI,
        "Nelly Susanti",
        P,
        "+6281366400102",
        "Sekretaris Desa Lempur Mudik",
        "desa_lempur_mudik",
        institution="Pemerintah Desa Lempur Mudik",
    ),
    # Jambi: facilitation team and committee
    _Person(
        "mt_jambi",
        JAMBI,
        "Wahyu Setiawan",
        L,
        "+6281155500101",
        "Master Trainer TPBIS",
        institution="Perpustakaan Nasional RI",
        email="wahyu.setiawan@example.id",
    ),
    _Person(
        "fasda_jambi",
        JAMBI,
        "Yusuf Maulana",
        L,
        "+6281155500102",
        "Fasilitator Daerah Provinsi Jambi",
        "prov_jambi",
        email="yusuf.maulana@example.id",
    ),
    _Person(
        "narasumber_jambi",
        JAMBI,
        "Lestari Handayani",
        P,
        "+6281155500103",
        "Pegiat literasi, pendiri Rumah Baca Pinang Masak",
        institution="Rumah Baca Pinang Masak, Kota Jambi",
        email="lestari.handayani@example.id",
    ),
    _Person(
        "rizky",
        JAMBI,
        "Rizky Pratama",
        L,
        "+6281155500104",
        "Staf Bidang Pengembangan Perpustakaan",
        "prov_jambi",
    ),
    _Person(
        "dian", JAMBI, "Dian Puspitasari", P, "+6281155500105", "Staf Sekretariat", "prov_jambi"
    ),
    # Riau
    _Person(
        "sri_rahayu",
        RIAU,
        "Sri Rahayu",
        P,
        "+6281365100101",
        "Kepala Bidang Pembinaan Perpustakaan",
        "prov_riau",
    ),
    _Person(
        "fadli", RIAU, "Fadli Rahman", L, "+6281365100201", "Pustakawan Ahli Muda", "pekanbaru"
    ),
    _Person("wulan", RIAU, "Wulan Dari", P, "+6281365100301", "Kepala Seksi Layanan", "kampar"),
    _Person("irwan", RIAU, "Irwan Syahputra", L, "+6281365100401", "Pustakawan", "siak"),
    _Person(
        "nurul",
        RIAU,
        "Nurul Aini",
        P,
        "+6285278200101",
        "Pengelola Perpustakaan Desa",
        "desa_rumbio",
    ),
    _Person(
        "syahrial",
        RIAU,
        "Syahrial",
        L,
        "+6285278200102",
        "Pengelola Perpustakaan Desa",
        "desa_buantan_besar",
    ),
    _Person(
        "mariani",
        RIAU,
        "Mariani",
        P,
        "+6285278200103",
        "Pembudidaya ikan patin",
        "desa_rumbio",
        institution="Warga Desa Rumbio",
    ),
    _Person(
        "mt_riau",
        RIAU,
        "Bambang Sutrisno",
        L,
        "+6281155500201",
        "Master Trainer TPBIS",
        institution="Perpustakaan Nasional RI",
    ),
    _Person(
        "fasda_riau",
        RIAU,
        "Eka Putri Lestari",
        P,
        "+6281155500202",
        "Fasilitator Daerah Provinsi Riau",
        "prov_riau",
    ),
)


# --- meetings ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Participant:
    person: str
    role: str
    library: str | None
    # Check-in time (local, the meeting's province) per meeting day; None: no attendance that day.
    checkins: tuple[str | None, ...]
    self_checkin: bool = False


@dataclass(frozen=True)
class _Session:
    title: str
    day: int  # 0-based offset from the meeting's start date
    start: str
    end: str
    led_by: str | None = None
    description: str = ""


@dataclass(frozen=True)
class _Meeting:
    key: str
    kind: str
    title: str
    province: str
    year: int
    wave: int | None
    start_date: dt.date
    end_date: dt.date
    venue_regency: str
    venue_name: str
    venue_address: str
    host: str
    opened_by: str
    objectives: str
    organiser: str  # e-mail of the demo account recorded as creator and attendance taker
    participants: tuple[_Participant, ...]
    sessions: tuple[_Session, ...]
    facilitators: tuple[str, ...] = ()  # e-mails of assigned facilitator accounts


PLM_OBJECTIVES = "\n".join(
    (
        "1. Memfasilitasi proses saling belajar dan berbagi pengalaman, capaian keberhasilan dan "
        "area of improvement dalam implementasi program.",
        "2. Meningkatkan komitmen, motivasi dan kepercayaan diri peserta untuk terus melaksanakan "
        "strategi program.",
        "3. Memberikan pengetahuan dan keterampilan baru bagi peserta untuk penguatan implementasi "
        "program.",
        "4. Menyusun rencana tindak lanjut implementasi program.",
        "5. Memberikan apresiasi bagi perpustakaan kabupaten dan desa terbaik di tingkat provinsi.",
    )
)

PLM_JAMBI_TITLE = "Peer Learning Meeting (PLM) Provinsi Jambi 2022"
PLM_RIAU_TITLE = "Peer Learning Meeting (PLM) Provinsi Riau 2022"
BIMTEK_TITLE = "Bimbingan Teknis Strategi Pengembangan Perpustakaan dan TIK (SPP-TIK)"


def _p(
    person: str, role: str, library: str | None, *checkins: str | None, self_checkin: bool = False
) -> _Participant:
    return _Participant(person, role, library, checkins, self_checkin)


MEETINGS: tuple[_Meeting, ...] = (
    _Meeting(
        key="plm_jambi",
        kind=Meeting.Kind.PLM,
        title=PLM_JAMBI_TITLE,
        province=JAMBI,
        year=2022,
        wave=3,
        start_date=dt.date(2022, 8, 2),
        end_date=dt.date(2022, 8, 2),
        venue_regency="15.71",
        venue_name="Ballroom Hotel Puri Sipin",
        venue_address="Jl. Kapten Pattimura No. 18, Kel. Simpang IV Sipin, Kec. Telanaipura, Kota Jambi 36124",
        host="prov_jambi",
        opened_by="Syamsul Rizal, Kepala Dinas Perpustakaan dan Arsip Daerah Provinsi Jambi",
        objectives=PLM_OBJECTIVES,
        organiser="jambi@demo.test",
        facilitators=("fasilitator@demo.test",),
        participants=(
            _p("nurhayati", Role.PROVINCIAL_OFFICE, "prov_jambi", "07:32"),
            _p("andi", Role.PROVINCIAL_OFFICE, "prov_jambi", "07:35"),
            _p("siti", Role.REGENCY_OFFICE, "kota_jambi", "07:41", self_checkin=True),
            _p("ridwan", Role.REGENCY_OFFICE, "muaro_jambi", "07:44"),
            _p("yuliana", Role.REGENCY_OFFICE, "batanghari", "07:38", self_checkin=True),
            _p("rahmat", Role.REGENCY_OFFICE, "sungai_penuh", "07:52"),
            _p("desi", Role.REGENCY_OFFICE, "kerinci", "07:55"),
            # Came late and never signed the list: the attendance report shows an empty row.
            _p("hendra", Role.REGENCY_OFFICE, "tebo", None),
            _p("sri", Role.VILLAGE_LIBRARY, "desa_sungai_duren", "07:46", self_checkin=True),
            _p("zulkifli", Role.VILLAGE_LIBRARY, "desa_sengkati_gedang", "07:49"),
            _p("rina", Role.VILLAGE_LIBRARY, "desa_koto_bento", "07:58"),
            _p("firmansyah", Role.VILLAGE_LIBRARY, "desa_teluk_pandak", "08:04"),
            _p("ernawati", Role.IMPACT, "desa_sungai_duren", "07:47", self_checkin=True),
            _p("doni", Role.IMPACT, "desa_koto_bento", "07:59"),
            _p("suryadi", Role.DESA_CHAMPION, "desa_mendalo_darat", "07:40"),
            _p("nelly", Role.DESA_CHAMPION, "desa_lempur_mudik", "08:01"),
            _p("mt_jambi", Role.MASTER_TRAINER, None, "07:10"),
            _p("fasda_jambi", Role.REGIONAL_FACILITATOR, "prov_jambi", "07:12"),
            _p("narasumber_jambi", Role.RESOURCE_PERSON, None, "08:20"),
            _p("rizky", Role.COMMITTEE, "prov_jambi", "06:55"),
            _p("dian", Role.COMMITTEE, "prov_jambi", "06:58"),
        ),
        sessions=(
            _Session("Registrasi peserta", 0, "08:00", "08:30", "rizky"),
            _Session(
                "Pembukaan",
                0,
                "08:30",
                "09:15",
                description="Sambutan dan pembukaan oleh Kepala Dinas Perpustakaan dan Arsip Daerah "
                "Provinsi Jambi, Syamsul Rizal.",
            ),
            _Session(
                "Refleksi capaian implementasi transformasi perpustakaan",
                0,
                "09:15",
                "10:30",
                "mt_jambi",
                "Peserta memetakan capaian sejak Bimtek SPP-TIK pada empat lini kerja.",
            ),
            _Session(
                "Berbagi pengalaman: capaian keberhasilan dan area perbaikan",
                0,
                "10:30",
                "12:00",
                "fasda_jambi",
                "Diskusi kelompok per kabupaten/kota; cerita dampak dari perpustakaan desa.",
            ),
            _Session("Ishoma", 0, "12:00", "13:00"),
            _Session(
                "Berbagi inovasi: Rumah Baca Pinang Masak",
                0,
                "13:00",
                "14:00",
                "narasumber_jambi",
                "Narasumber lokal berbagi inovasi kelas literasi keluarga bersama kader PKK.",
            ),
            _Session(
                "Penyusunan Rencana Tindak Lanjut (RTL)",
                0,
                "14:00",
                "15:30",
                "fasda_jambi",
                "Setiap perpustakaan menyusun RTL: kegiatan, tujuan, sasaran, waktu, penanggung "
                "jawab dan indikator.",
            ),
            _Session(
                "Apresiasi perpustakaan terbaik dan penutupan",
                0,
                "15:30",
                "16:00",
                "mt_jambi",
                "Penyerahan apresiasi perpustakaan kabupaten/kota dan perpustakaan desa terbaik.",
            ),
        ),
    ),
    _Meeting(
        key="plm_riau",
        kind=Meeting.Kind.PLM,
        title=PLM_RIAU_TITLE,
        province=RIAU,
        year=2022,
        wave=2,
        start_date=dt.date(2022, 7, 21),
        end_date=dt.date(2022, 7, 21),
        venue_regency="14.71",
        venue_name="Ruang Serbaguna Perpustakaan Soeman HS",
        venue_address="Jl. Jenderal Sudirman No. 462, Kota Pekanbaru, Riau 28116",
        host="prov_riau",
        opened_by="Dra. Hasnah Yuliani, M.Si., Kepala Dinas Perpustakaan dan Kearsipan Provinsi Riau",
        objectives=PLM_OBJECTIVES,
        organiser="riau@demo.test",
        participants=(
            _p("sri_rahayu", Role.PROVINCIAL_OFFICE, "prov_riau", "07:36"),
            _p("fadli", Role.REGENCY_OFFICE, "pekanbaru", "07:42"),
            _p("wulan", Role.REGENCY_OFFICE, "kampar", "07:50"),
            _p("irwan", Role.REGENCY_OFFICE, "siak", None),
            _p("nurul", Role.VILLAGE_LIBRARY, "desa_rumbio", "07:45", self_checkin=True),
            _p("syahrial", Role.VILLAGE_LIBRARY, "desa_buantan_besar", "07:57"),
            _p("mariani", Role.IMPACT, "desa_rumbio", "07:46"),
            _p("mt_riau", Role.MASTER_TRAINER, None, "07:05"),
            _p("fasda_riau", Role.REGIONAL_FACILITATOR, "prov_riau", "07:08"),
        ),
        sessions=(
            _Session("Registrasi dan pembukaan", 0, "08:00", "09:00"),
            _Session("Refleksi capaian implementasi", 0, "09:00", "10:30", "mt_riau"),
            _Session("Berbagi pengalaman antarperpustakaan", 0, "10:30", "12:00", "fasda_riau"),
            _Session("Penyusunan Rencana Tindak Lanjut (RTL)", 0, "13:00", "15:00", "fasda_riau"),
        ),
    ),
    _Meeting(
        key="bimtek_jambi",
        kind=Meeting.Kind.BIMTEK,
        title=BIMTEK_TITLE,
        province=JAMBI,
        year=2022,
        wave=None,
        start_date=dt.date(2022, 6, 14),
        end_date=dt.date(2022, 6, 16),
        venue_regency="15.71",
        venue_name="Aula Dinas Perpustakaan dan Arsip Daerah Provinsi Jambi",
        venue_address="Jl. Jenderal Sudirman No. 1, Kel. Thehok, Kec. Jambi Selatan, Kota Jambi 36138",
        host="prov_jambi",
        opened_by="Nurhayati, Kepala Bidang Pengembangan Perpustakaan",
        objectives="\n".join(
            (
                "1. Membekali pengelola perpustakaan dengan strategi pengembangan perpustakaan "
                "berbasis inklusi sosial.",
                "2. Meningkatkan keterampilan pemanfaatan teknologi informasi dan komunikasi untuk "
                "layanan perpustakaan.",
                "3. Menyusun rencana implementasi pada empat lini kerja: layanan informasi, pelibatan "
                "masyarakat, advokasi dan publikasi.",
            )
        ),
        organiser="jambi@demo.test",
        participants=(
            _p("siti", Role.REGENCY_OFFICE, "kota_jambi", "07:45", "07:40", "07:48"),
            _p("ridwan", Role.REGENCY_OFFICE, "muaro_jambi", "07:50", "07:52", "07:47"),
            _p("yuliana", Role.REGENCY_OFFICE, "batanghari", "07:38", "07:41", "07:39"),
            _p("rahmat", Role.REGENCY_OFFICE, "sungai_penuh", "07:55", "07:49", "07:58"),
            _p("desi", Role.REGENCY_OFFICE, "kerinci", "07:57", "07:53", "07:51"),
            _p("hendra", Role.REGENCY_OFFICE, "tebo", "07:59", "07:58", None),
            _p("sri", Role.VILLAGE_LIBRARY, "desa_sungai_duren", "07:43", "07:44", "07:42"),
            _p("zulkifli", Role.VILLAGE_LIBRARY, "desa_sengkati_gedang", "07:48", "07:50", "07:46"),
            _p("rina", Role.VILLAGE_LIBRARY, "desa_koto_bento", "08:02", "07:56", "07:55"),
            _p("firmansyah", Role.VILLAGE_LIBRARY, "desa_teluk_pandak", None, "07:59", "08:03"),
            _p("mt_jambi", Role.MASTER_TRAINER, None, "07:15", "07:12", "07:14"),
            _p("fasda_jambi", Role.REGIONAL_FACILITATOR, "prov_jambi", "07:18", "07:16", "07:15"),
            _p("rizky", Role.COMMITTEE, "prov_jambi", "07:00", "07:02", "06:58"),
        ),
        sessions=(
            _Session(
                "Transformasi perpustakaan berbasis inklusi sosial", 0, "08:00", "12:00", "mt_jambi"
            ),
            _Session("Strategi pengembangan perpustakaan (SPP)", 0, "13:00", "16:00", "mt_jambi"),
            _Session("Pelibatan masyarakat dan kemitraan", 1, "08:00", "12:00", "fasda_jambi"),
            _Session("Pemanfaatan TIK untuk layanan perpustakaan", 1, "13:00", "16:00", "mt_jambi"),
            _Session("Advokasi dan publikasi", 2, "08:00", "12:00", "fasda_jambi"),
            _Session("Penyusunan rencana implementasi", 2, "13:00", "15:30", "fasda_jambi"),
        ),
    ),
)


# --- follow-up plans, awards, programme ----------------------------------------------------------


@dataclass(frozen=True)
class _Rtl:
    library: str
    line_of_work: str
    activity: str
    objective: str
    target_group: str
    timeline: str
    due_date: dt.date
    responsible: str
    indicator: str
    status: str = RtlStatus.PLANNED
    progress_note: str = ""
    progress_date: dt.date | None = None


PLM_JAMBI_RTL: tuple[_Rtl, ...] = (
    _Rtl(
        "kota_jambi",
        LineOfWork.SERVICES,
        "Membuka pojok literasi digital di ruang layanan anak",
        "Anak dan orang tua dapat mengakses bacaan digital dan kelas literasi digital.",
        "Pelajar SD-SMP dan orang tua",
        "Agustus-Oktober 2022",
        dt.date(2022, 10, 31),
        "Siti Aminah",
        "Pojok literasi digital beroperasi; 2 kelas literasi digital per bulan.",
        RtlStatus.IN_PROGRESS,
        "Enam unit komputer terpasang; kelas pertama diikuti 24 pelajar.",
        dt.date(2022, 9, 20),
    ),
    _Rtl(
        "kota_jambi",
        LineOfWork.PUBLICATION,
        "Publikasi kegiatan perpustakaan setiap bulan di Instagram dan YouTube",
        "Masyarakat mengetahui layanan dan kegiatan perpustakaan.",
        "Masyarakat Kota Jambi",
        "Agustus-Desember 2022",
        dt.date(2022, 12, 31),
        "Siti Aminah",
        "Minimal 4 unggahan per bulan.",
        RtlStatus.DONE,
        "Rata-rata 6 unggahan per bulan sejak Agustus.",
        dt.date(2022, 12, 15),
    ),
    _Rtl(
        "muaro_jambi",
        LineOfWork.ADVOCACY,
        "Audiensi dengan Bupati dan DPRD tentang anggaran pembinaan perpustakaan desa",
        "Anggaran pembinaan perpustakaan desa masuk APBD 2023.",
        "Bupati, Komisi IV DPRD",
        "September 2022",
        dt.date(2022, 9, 30),
        "Muhammad Ridwan",
        "Audiensi terlaksana; pos anggaran pembinaan perpustakaan desa di APBD 2023.",
        RtlStatus.IN_PROGRESS,
        "Audiensi dengan Komisi IV DPRD terlaksana 6 September 2022.",
        dt.date(2022, 9, 6),
    ),
    _Rtl(
        "muaro_jambi",
        LineOfWork.COMMUNITY,
        "Pendampingan perpustakaan desa menyelenggarakan pelatihan olahan hasil kebun",
        "Perpustakaan desa menjadi tempat belajar keterampilan ekonomi warga.",
        "Ibu-ibu PKK dan pelaku UMKM desa",
        "Oktober-November 2022",
        dt.date(2022, 11, 30),
        "Muhammad Ridwan",
        "3 perpustakaan desa menyelenggarakan pelatihan.",
    ),
    _Rtl(
        "batanghari",
        LineOfWork.ADVOCACY,
        "Sosialisasi pemanfaatan Dana Desa untuk perpustakaan desa kepada kepala desa",
        "Kepala desa menganggarkan operasional perpustakaan desa.",
        "Kepala desa se-Kabupaten Batanghari",
        "Oktober 2022",
        dt.date(2022, 10, 31),
        "Yuliana Sari",
        "Sosialisasi terlaksana di 8 kecamatan.",
        RtlStatus.DONE,
        "Sosialisasi terlaksana 4 Oktober 2022, dihadiri 20 kepala desa.",
        dt.date(2022, 10, 4),
    ),
    _Rtl(
        "desa_sungai_duren",
        LineOfWork.COMMUNITY,
        "Pelatihan kemasan dan pemasaran daring keripik pisang",
        "Produk UMKM desa dapat dijual secara daring.",
        "Pelaku UMKM Desa Sungai Duren",
        "September 2022",
        dt.date(2022, 9, 30),
        "Sri Wahyuni",
        "15 pelaku UMKM memiliki toko daring.",
        RtlStatus.IN_PROGRESS,
        "9 pelaku UMKM sudah membuka toko daring.",
        dt.date(2022, 10, 10),
    ),
    _Rtl(
        "desa_koto_bento",
        LineOfWork.SERVICES,
        "Menambah koleksi buku budidaya kopi dan kayu manis",
        "Petani mendapat informasi budidaya dan pascapanen.",
        "Kelompok tani Desa Koto Bento",
        "Agustus-September 2022",
        dt.date(2022, 9, 30),
        "Rina Marlina",
        "50 judul buku pertanian tersedia dan dipinjam.",
    ),
    _Rtl(
        "desa_mendalo_darat",
        LineOfWork.PUBLICATION,
        "Papan informasi dan grup WhatsApp kegiatan perpustakaan desa",
        "Warga mengetahui jadwal kegiatan perpustakaan desa.",
        "Warga Desa Mendalo Darat",
        "Agustus 2022",
        dt.date(2022, 8, 31),
        "Suryadi",
        "Papan informasi terpasang; grup WhatsApp dengan 100 anggota.",
        RtlStatus.DONE,
        "Papan informasi terpasang di balai desa; grup WhatsApp 134 anggota.",
        dt.date(2022, 8, 29),
    ),
)

PLM_RIAU_RTL: tuple[_Rtl, ...] = (
    _Rtl(
        "desa_rumbio",
        LineOfWork.COMMUNITY,
        "Pelatihan budidaya ikan patin bersama penyuluh perikanan",
        "Warga mendapat keterampilan budidaya ikan.",
        "Pemuda dan kelompok pembudidaya ikan",
        "Agustus 2022",
        dt.date(2022, 8, 31),
        "Nurul Aini",
        "20 warga mengikuti pelatihan.",
    ),
)


@dataclass(frozen=True)
class _Award:
    category: str
    library: str
    citation: str


PLM_JAMBI_AWARDS = (
    _Award(
        Award.Category.BEST_REGENCY_LIBRARY,
        "batanghari",
        "Atas pendampingan yang konsisten kepada perpustakaan desa dan keberhasilan advokasi "
        "pemanfaatan Dana Desa untuk perpustakaan desa di Kabupaten Batanghari.",
    ),
    _Award(
        Award.Category.BEST_VILLAGE_LIBRARY,
        "desa_mendalo_darat",
        "Atas keterlibatan warga dalam kegiatan perpustakaan desa dan dukungan penuh pemerintah "
        "desa terhadap transformasi perpustakaan berbasis inklusi sosial.",
    ),
)

PROGRAMME_YEARS = (
    (
        2022,
        "TPBIS 2022",
        "Perluasan ke perpustakaan desa; Bimtek SPP-TIK (Maret-Juni); PLM Provinsi tatap muka di 33 "
        "lokasi untuk 34 provinsi dalam 5 gelombang.",
    ),
    (2023, "TPBIS 2023", "Penguatan replikasi oleh pemerintah daerah."),
)

# 2023: Jambi's village libraries carry on with regional budgets.
ENROLLED_2023 = (
    "desa_mendalo_darat",
    "desa_sungai_duren",
    "desa_sengkati_gedang",
    "desa_koto_bento",
)


@dataclass(frozen=True)
class _Activity:
    library: str
    line_of_work: str
    title: str
    date: dt.date
    male: int
    female: int
    description: str = ""
    location: str = ""
    partners: str = ""
    end_date: dt.date | None = None


ACTIVITIES: tuple[_Activity, ...] = (
    _Activity(
        "kota_jambi",
        LineOfWork.SERVICES,
        "Kelas literasi digital untuk pelajar",
        dt.date(2022, 7, 12),
        18,
        25,
        "Pengenalan sumber informasi daring dan cek fakta untuk pelajar SMP.",
        "Ruang layanan anak",
    ),
    _Activity(
        "desa_sengkati_gedang",
        LineOfWork.SERVICES,
        "Layanan baca dan bimbingan belajar sepulang sekolah",
        dt.date(2022, 8, 15),
        17,
        22,
        location="Perpustakaan Desa Sengkati Gedang",
        partners="Karang Taruna",
        end_date=dt.date(2022, 11, 30),
    ),
    _Activity(
        "desa_sungai_duren",
        LineOfWork.COMMUNITY,
        "Pelatihan pembuatan dan kemasan keripik pisang",
        dt.date(2022, 7, 20),
        4,
        23,
        "Pelatihan olahan pisang dan desain kemasan bersama pelaku UMKM.",
        "Balai Desa Sungai Duren",
        "PKK Desa Sungai Duren, Dinas Koperasi dan UMKM",
    ),
    _Activity(
        "desa_koto_bento",
        LineOfWork.COMMUNITY,
        "Sekolah lapang budidaya kopi",
        dt.date(2022, 9, 14),
        21,
        9,
        location="Kebun kelompok tani Desa Koto Bento",
        partners="Penyuluh Pertanian Lapangan",
        end_date=dt.date(2022, 9, 15),
    ),
    _Activity(
        "desa_lempur_mudik",
        LineOfWork.COMMUNITY,
        "Kelas menganyam bambu untuk ibu-ibu PKK",
        dt.date(2022, 11, 8),
        0,
        27,
        location="Perpustakaan Desa Lempur Mudik",
        partners="PKK Desa Lempur Mudik",
    ),
    _Activity(
        "muaro_jambi",
        LineOfWork.ADVOCACY,
        "Audiensi dengan Komisi IV DPRD Kabupaten Muaro Jambi",
        dt.date(2022, 9, 6),
        9,
        3,
        "Paparan capaian perpustakaan desa dan usulan anggaran pembinaan 2023.",
        "Gedung DPRD Kabupaten Muaro Jambi",
    ),
    _Activity(
        "batanghari",
        LineOfWork.ADVOCACY,
        "Sosialisasi pemanfaatan Dana Desa untuk perpustakaan desa",
        dt.date(2022, 10, 4),
        16,
        4,
        location="Aula Kantor Bupati Batanghari",
        partners="Dinas Pemberdayaan Masyarakat dan Desa",
    ),
    _Activity(
        "desa_mendalo_darat",
        LineOfWork.PUBLICATION,
        "Siaran kegiatan perpustakaan desa di radio komunitas",
        dt.date(2022, 8, 25),
        60,
        74,
        partners="Radio komunitas desa",
    ),
    _Activity(
        "sungai_penuh",
        LineOfWork.PUBLICATION,
        "Buletin perpustakaan triwulan III",
        dt.date(2022, 10, 28),
        85,
        97,
        "Buletin cetak dan digital berisi kegiatan perpustakaan desa se-Kota Sungai Penuh.",
    ),
    _Activity(
        "desa_rumbio",
        LineOfWork.COMMUNITY,
        "Pelatihan budidaya ikan patin",
        dt.date(2022, 8, 18),
        15,
        6,
        location="Kolam kelompok pembudidaya Desa Rumbio",
    ),
)


@dataclass(frozen=True)
class _Story:
    library: str
    person: str
    title: str
    story: str
    line_of_work: str
    date: dt.date


IMPACT_STORIES: tuple[_Story, ...] = (
    _Story(
        "desa_sungai_duren",
        "ernawati",
        "Dari keripik pisang rumahan ke toko daring",
        "Bu Ernawati mengikuti pelatihan kemasan dan pemasaran daring di Perpustakaan Desa Sungai "
        "Duren. Kini keripik pisangnya dijual di dua lokapasar dan pesanan naik tiga kali lipat; ia "
        "mengajak empat tetangga ikut memproduksi.",
        LineOfWork.COMMUNITY,
        dt.date(2022, 10, 10),
    ),
    _Story(
        "desa_koto_bento",
        "doni",
        "Panen kopi naik setelah belajar dari buku dan sekolah lapang",
        "Pak Doni meminjam buku budidaya kopi dari perpustakaan desa dan mengikuti sekolah lapang. "
        "Setelah memperbaiki pemangkasan dan pascapanen, hasil panennya naik dan kopinya dibeli "
        "kedai di Sungai Penuh dengan harga lebih baik.",
        LineOfWork.COMMUNITY,
        dt.date(2022, 11, 2),
    ),
    _Story(
        "desa_sengkati_gedang",
        "ilham",
        "Belajar desain di perpustakaan desa, membuka jasa cetak",
        "Ilham belajar desain grafis memakai komputer perpustakaan desa dan tutorial daring. Ia "
        "membuka jasa desain dan cetak undangan, dan kini melatih pemuda desa di perpustakaan.",
        LineOfWork.SERVICES,
        dt.date(2022, 11, 21),
    ),
)


# --- loading -------------------------------------------------------------------------------------------


def required_region_codes() -> set[str]:
    """Every Kemendagri code (province, regency, village) the demo refers to."""
    codes = {library.province for library in LIBRARIES}
    codes |= {library.regency for library in LIBRARIES if library.regency}
    codes |= {library.village for library in LIBRARIES if library.village}
    codes |= {meeting.province for meeting in MEETINGS}
    codes |= {meeting.venue_regency for meeting in MEETINGS}
    return codes


def load_demo() -> DemoResult:
    """Insert the demo rows that are missing, in one transaction; existing rows are left as they are.

    Side effects: inserts libraries, people, programme years and enrollments, three meetings with their
    agenda, participants, attendance, follow-up plans and awards, activities, impact stories, and the demo
    accounts (password set on creation only). Raises RegionsNotLoaded (a CommandError) when the region
    rows it refers to are missing; nothing is written then.
    """
    result = DemoResult()
    with transaction.atomic():
        provinces = _check_regions()
        users = _load_users(result)
        libraries = _load_libraries(result)
        _load_programme(libraries, result)
        people = _load_people(libraries, result)
        meetings = _load_meetings(provinces, users, libraries, people, result)
        _load_follow_up(meetings, libraries, result)
        _load_activities(libraries, people, result)
    return result


def _check_regions() -> dict[str, Province]:
    codes = required_region_codes()
    province_codes = {code for code in codes if "." not in code}
    regency_codes = {code for code in codes if code.count(".") == 1}
    village_codes = codes - province_codes - regency_codes
    provinces = Province.objects.in_bulk(province_codes)
    found = set(provinces)
    found |= set(Regency.objects.filter(code__in=regency_codes).values_list("code", flat=True))
    found |= set(Village.objects.filter(code__in=village_codes).values_list("code", flat=True))
    missing = sorted(codes - found)
    if missing:
        raise RegionsNotLoaded(
            _(
                "Data wilayah belum dimuat: jalankan python manage.py load_regions dulu "
                "(kode tidak ditemukan: %(codes)s)."
            )
            % {"codes": ", ".join(missing)}
        )
    return provinces


def _ensure[M: models.Model](
    model: type[M], rows: Iterable[M], key: tuple[str, ...], result: DemoResult
) -> dict[tuple, M]:
    """Insert the rows whose natural key is not in the database yet; return every row by its key.

    `key` names attributes (attnames such as "province_id"). Rows already in the database are returned as
    they are there, never updated.
    """
    rows = list(rows)

    def key_of(obj: M) -> tuple:
        return tuple(getattr(obj, attname) for attname in key)

    wanted = [key_of(row) for row in rows]
    if len(set(wanted)) != len(wanted):
        raise ValueError(f"Duplicate natural keys in the demo rows of {model._meta.label}.")
    # A superset of the wanted rows (every combination of the key values); the dict keeps the exact ones.
    lookup = {f"{attname}__in": {k[i] for k in wanted} for i, attname in enumerate(key)}
    existing = {key_of(obj): obj for obj in model._default_manager.filter(**lookup)} if rows else {}
    missing = [row for row in rows if key_of(row) not in existing]
    if missing:
        model._default_manager.bulk_create(missing)
        result.created[model._meta.label] += len(missing)
    return {k: existing.get(k) or row for k, row in zip(wanted, rows, strict=True)}


def _load_users(result: DemoResult) -> dict[str, User]:
    existing = {user.email: user for user in User.objects.filter(email__in=_account_emails())}
    missing = []
    for account in DEMO_ACCOUNTS:
        if account.email in existing:
            continue
        user = User(
            email=account.email,
            full_name=account.full_name,
            role=account.role,
            province_id=account.province,
            is_staff=account.is_superuser,
            is_superuser=account.is_superuser,
        )
        # Only on creation: whoever changed a demo password keeps it.
        user.set_password(DEMO_PASSWORD)
        missing.append(user)
    if missing:
        User.objects.bulk_create(missing)
        result.created[User._meta.label] += len(missing)
    return existing | {user.email: user for user in missing}


def _account_emails() -> list[str]:
    return [account.email for account in DEMO_ACCOUNTS]


def _load_libraries(result: DemoResult) -> dict[str, Library]:
    rows = [
        Library(
            name=spec.name,
            kind=spec.kind,
            province_id=spec.province,
            regency_id=spec.regency,
            village_id=spec.village,
            address=spec.address,
            phone=spec.phone,
            email=spec.email,
            head_name=spec.head_name,
            head_title=spec.head_title,
        )
        for spec in LIBRARIES
    ]
    by_key = _ensure(Library, rows, ("province_id", "name"), result)
    return {spec.key: by_key[(spec.province, spec.name)] for spec in LIBRARIES}


def _load_programme(libraries: dict[str, Library], result: DemoResult) -> None:
    years = _ensure(
        ProgrammeYear,
        (
            ProgrammeYear(year=year, name=name, theme=theme, is_national_priority=True)
            for year, name, theme in PROGRAMME_YEARS
        ),
        ("year",),
        result,
    )
    year_2022, year_2023 = years[(2022,)], years[(2023,)]
    rows = [
        Enrollment(
            programme_year=year_2022,
            library=libraries[spec.key],
            cohort="Angkatan 2022",
            partner_status=Enrollment.PartnerStatus.PARTNER,
            joined_on=dt.date(2022, 3, 1),
        )
        for spec in LIBRARIES
    ]
    rows += [
        Enrollment(
            programme_year=year_2023,
            library=libraries[key],
            cohort="Angkatan 2022",
            partner_status=Enrollment.PartnerStatus.REPLICATION,
            joined_on=dt.date(2023, 2, 1),
            notes="Dilanjutkan dengan anggaran daerah.",
        )
        for key in ENROLLED_2023
    ]
    _ensure(Enrollment, rows, ("programme_year_id", "library_id"), result)


def _load_people(libraries: dict[str, Library], result: DemoResult) -> dict[str, Person]:
    rows = [
        Person(
            full_name=spec.full_name,
            gender=spec.gender,
            phone=spec.phone,
            email=spec.email,
            position=spec.position,
            institution=spec.institution,
            province_id=spec.province,
            home_library=libraries[spec.library] if spec.library else None,
        )
        for spec in PEOPLE
    ]
    by_key = _ensure(Person, rows, ("province_id", "phone"), result)
    return {spec.key: by_key[(spec.province, spec.phone)] for spec in PEOPLE}


def _load_meetings(
    provinces: dict[str, Province],
    users: dict[str, User],
    libraries: dict[str, Library],
    people: dict[str, Person],
    result: DemoResult,
) -> dict[str, Meeting]:
    rows = [
        Meeting(
            kind=spec.kind,
            title=spec.title,
            province_id=spec.province,
            year=spec.year,
            wave=spec.wave,
            start_date=spec.start_date,
            end_date=spec.end_date,
            mode=Meeting.Mode.TATAP_MUKA,
            venue_regency_id=spec.venue_regency,
            venue_name=spec.venue_name,
            venue_address=spec.venue_address,
            host_library=libraries[spec.host],
            opened_by=spec.opened_by,
            objectives=spec.objectives,
            status=Meeting.Status.DONE,
            created_by=users[spec.organiser],
        )
        for spec in MEETINGS
    ]
    by_key = _ensure(Meeting, rows, ("province_id", "title"), result)
    meetings = {spec.key: by_key[(spec.province, spec.title)] for spec in MEETINGS}

    through = Meeting.assigned_facilitators.through
    _ensure(
        through,
        (
            through(meeting_id=meetings[spec.key].pk, user_id=users[email].pk)
            for spec in MEETINGS
            for email in spec.facilitators
        ),
        ("meeting_id", "user_id"),
        result,
    )
    _ensure(
        Session,
        (
            Session(
                meeting=meetings[spec.key],
                order=order,
                title=session.title,
                date=spec.start_date + dt.timedelta(days=session.day),
                start_time=dt.time.fromisoformat(session.start),
                end_time=dt.time.fromisoformat(session.end),
                led_by=people[session.led_by] if session.led_by else None,
                description=session.description,
            )
            for spec in MEETINGS
            for order, session in enumerate(spec.sessions, start=1)
        ),
        ("meeting_id", "order"),
        result,
    )
    participations = _ensure(
        Participation,
        (
            Participation(
                meeting=meetings[spec.key],
                person=people[participant.person],
                role=participant.role,
                library=libraries[participant.library] if participant.library else None,
            )
            for spec in MEETINGS
            for participant in spec.participants
        ),
        ("meeting_id", "person_id"),
        result,
    )
    attendances = []
    for spec in MEETINGS:
        meeting = meetings[spec.key]
        zone = ZoneInfo(provinces[spec.province].time_zone)
        for participant in spec.participants:
            participation = participations[(meeting.pk, people[participant.person].pk)]
            for day, checkin in zip(meeting.days, participant.checkins, strict=True):
                if checkin is None:
                    continue
                attendances.append(
                    Attendance(
                        participation=participation,
                        day=day,
                        checked_in_at=dt.datetime.combine(
                            day, dt.time.fromisoformat(checkin), tzinfo=zone
                        ),
                        method=(
                            Attendance.Method.SELF
                            if participant.self_checkin
                            else Attendance.Method.MANUAL
                        ),
                        recorded_by=None if participant.self_checkin else users[spec.organiser],
                    )
                )
    _ensure(Attendance, attendances, ("participation_id", "day"), result)
    return meetings


def _load_follow_up(
    meetings: dict[str, Meeting], libraries: dict[str, Library], result: DemoResult
) -> None:
    rows = [
        RtlAction(
            meeting=meetings[meeting_key],
            library=libraries[rtl.library],
            line_of_work=rtl.line_of_work,
            activity=rtl.activity,
            objective=rtl.objective,
            target_group=rtl.target_group,
            timeline=rtl.timeline,
            due_date=rtl.due_date,
            responsible=rtl.responsible,
            indicator=rtl.indicator,
            order=order,
            status=rtl.status,
            progress_note=rtl.progress_note,
            progress_date=rtl.progress_date,
        )
        for meeting_key, plan in (("plm_jambi", PLM_JAMBI_RTL), ("plm_riau", PLM_RIAU_RTL))
        for order, rtl in enumerate(plan, start=1)
    ]
    _ensure(RtlAction, rows, ("meeting_id", "library_id", "activity"), result)

    plm = meetings["plm_jambi"]
    _ensure(
        Award,
        (
            Award(
                province_id=plm.province_id,
                year=plm.year,
                category=award.category,
                rank=1,
                library=libraries[award.library],
                citation=award.citation,
                meeting=plm,
            )
            for award in PLM_JAMBI_AWARDS
        ),
        ("province_id", "year", "category", "rank"),
        result,
    )


def _load_activities(
    libraries: dict[str, Library], people: dict[str, Person], result: DemoResult
) -> None:
    _ensure(
        Activity,
        (
            Activity(
                library=libraries[activity.library],
                line_of_work=activity.line_of_work,
                title=activity.title,
                description=activity.description,
                date=activity.date,
                end_date=activity.end_date,
                location=activity.location,
                partners=activity.partners,
                beneficiaries_male=activity.male,
                beneficiaries_female=activity.female,
            )
            for activity in ACTIVITIES
        ),
        ("library_id", "title"),
        result,
    )
    _ensure(
        ImpactStory,
        (
            ImpactStory(
                library=libraries[story.library],
                person=people[story.person],
                title=story.title,
                story=story.story,
                line_of_work=story.line_of_work,
                date=story.date,
                consent_given=True,
                consent_date=story.date,
                status=ImpactStory.Status.PUBLISHED,
            )
            for story in IMPACT_STORIES
        ),
        ("library_id", "title"),
        result,
    )
