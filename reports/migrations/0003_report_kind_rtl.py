"""RTL is the one name of the follow-up plan: the report kind "follow_up" becomes "rtl".

Stored rows are converted both ways. Their fingerprints (which hash the kind) no longer match a new request, so
the next "Buat PDF" of a Laporan RTL renders it again; files already stored stay downloadable.
"""

from django.db import migrations, models


def follow_up_to_rtl(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    Report.objects.filter(kind="follow_up").update(kind="rtl")


def rtl_to_follow_up(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    Report.objects.filter(kind="rtl").update(kind="follow_up")


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0002_report_page_count_file_size_open_fingerprint"),
    ]

    operations = [
        migrations.AlterField(
            model_name="report",
            name="kind",
            field=models.CharField(
                choices=[
                    ("attendance", "Daftar hadir"),
                    ("rtl", "Laporan RTL"),
                    ("certificates", "Sertifikat peserta"),
                    ("award_charters", "Piagam penghargaan"),
                ],
                max_length=20,
                verbose_name="jenis",
            ),
        ),
        migrations.RunPython(follow_up_to_rtl, rtl_to_follow_up, elidable=False),
    ]
