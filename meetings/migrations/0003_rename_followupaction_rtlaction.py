"""RTL is the one name of a library's follow-up plan row: FollowUpAction becomes RtlAction.

RenameModel renames the table and keeps every row and foreign key; the 1/3/6-month follow-ups of an RTL row
get the "follow-up" name later.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("libraries", "0001_initial"),
        ("meetings", "0002_initial"),
    ]

    operations = [
        migrations.RenameModel(old_name="FollowUpAction", new_name="RtlAction"),
        migrations.AlterField(
            model_name="rtlaction",
            name="library",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="rtl_actions",
                to="libraries.library",
                verbose_name="perpustakaan",
            ),
        ),
        migrations.AlterField(
            model_name="rtlaction",
            name="meeting",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="rtl_actions",
                to="meetings.meeting",
                verbose_name="pertemuan",
            ),
        ),
    ]
