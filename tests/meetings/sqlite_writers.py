"""Concurrent writers on the embedded SQLite default, as `make run` serves it: run in a process of its own.

``python -m tests.meetings.sqlite_writers <folder>`` sets up the portal exactly as the embedded default does
(no DATABASE_URL, no REDIS_URL, DEBUG, the database a file under PLM_VAR_DIR=<folder>), migrates it, and has
five signed-in clients post at the same moment: the same new-meeting form (one key), five different agenda
sessions, RTL rows and new participants (five keys) and the same new-participant form without phone or e-mail.
It prints one JSON line: the status codes of each round and the rows made. tests/meetings/test_sqlite_writers.py
runs it and checks the figures (no 500, one row per key).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import uuid


def _environment(folder: str) -> None:
    for name in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="plm_portal.settings",
        DJANGO_DEBUG="True",
        PLM_VAR_DIR=folder,
        DJANGO_ALLOWED_HOSTS="testserver",
    )


def _at_once(clients: list, path: str, data_for, **extra) -> list[int | str]:
    from django.db import connection

    barrier = threading.Barrier(len(clients))
    results: list[int | str] = [0] * len(clients)

    def tap(index: int, client) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = client.post(path, data_for(index), **extra).status_code
        except Exception as error:  # a 500 or a lock error: reported in the figures
            results[index] = f"{type(error).__name__}: {error}"
        finally:
            connection.close()

    threads = [threading.Thread(target=tap, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def main(folder: str) -> dict:
    _environment(folder)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from libraries.models import Person
    from meetings.models import Meeting, Participation, RtlAction, Session
    from plm_portal.choices import LineOfWork
    from tests.factories import (
        LibraryFactory,
        MeetingFactory,
        ProvinceFactory,
        RegencyFactory,
        UserFactory,
    )

    setup_test_environment()
    call_command("migrate", verbosity=0)
    jambi = ProvinceFactory(code="15", name="Jambi")
    kota = RegencyFactory(province=jambi, code="15.71", name="Kota Jambi")
    meeting = MeetingFactory(province=jambi, venue_regency=kota, title="PLM Provinsi Jambi 2022")
    library = LibraryFactory(name="Dinas Perpustakaan Kota Jambi", regency=kota)
    officer = UserFactory(email="jambi@example.test", province=jambi)
    clients = []
    for _ in range(5):
        client = Client(raise_request_exception=False)
        client.force_login(officer)
        clients.append(client)
    connection.close()

    one_key = uuid.uuid4().hex
    meeting_form = {
        "kind": Meeting.Kind.PLM,
        "title": "PLM serentak",
        "year": "2023",
        "wave": "2",
        "start_date": "2023-08-01",
        "end_date": "2023-08-01",
        "mode": Meeting.Mode.TATAP_MUKA,
        "venue_regency": "15.71",
        "venue_name": "Aula Dinas",
        "status": Meeting.Status.PLANNED,
        "form_key": one_key,
    }
    day = meeting.start_date.isoformat()
    contactless_key = uuid.uuid4().hex
    rounds = {
        "same_meeting": _at_once(clients, reverse("meetings:meeting_new"), lambda i: meeting_form),
        "sessions": _at_once(
            clients,
            reverse("meetings:agenda_new", args=[meeting.pk]),
            lambda i: {
                "new-title": f"Sesi {i}",
                "new-date": day,
                "new-start_time": f"{8 + i:02d}:00",
                "new-end_time": f"{8 + i:02d}:45",
                "new-form_key": uuid.uuid4().hex,
            },
        ),
        "rtl_rows": _at_once(
            clients,
            reverse("meetings:rtl_new", args=[meeting.pk]),
            lambda i: {
                "place": "new",
                "library": str(library.pk),
                "activity": f"Kegiatan {i}",
                "line_of_work": LineOfWork.COMMUNITY,
                "form_key": uuid.uuid4().hex,
            },
        ),
        "people": _at_once(
            clients,
            reverse("meetings:participants_new", args=[meeting.pk]),
            lambda i: {
                "full_name": f"Peserta Baru {i}",
                "gender": "P",
                "phone": f"0812777700{i:02d}",
                "role": Participation.Role.VILLAGE_LIBRARY,
                "form_key": uuid.uuid4().hex,
            },
        ),
        "same_person": _at_once(
            clients,
            reverse("meetings:participants_new", args=[meeting.pk]),
            lambda i: {
                "full_name": "Sri Wahyuni",
                "gender": "P",
                "role": Participation.Role.VILLAGE_LIBRARY,
                "form_key": contactless_key,
            },
        ),
    }
    return {
        "database": str(settings.DATABASES["default"]["NAME"]),
        "options": settings.DATABASES["default"].get("OPTIONS", {}),
        "rounds": rounds,
        "rows": {
            "same_meeting": Meeting.objects.filter(title="PLM serentak").count(),
            "sessions": Session.objects.filter(meeting=meeting).count(),
            "rtl_rows": RtlAction.objects.filter(meeting=meeting).count(),
            "people": Person.objects.filter(full_name__startswith="Peserta Baru").count(),
            "same_person": Person.objects.filter(full_name="Sri Wahyuni").count(),
            "participations": meeting.participations.count(),
        },
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1]), default=str))
