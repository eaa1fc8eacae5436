"""Pending changes for any content, first step: the new columns (content type, object id,
a plain-words history) beside the article column, which 0014 copies from.

Three migrations, not one: PostgreSQL will not alter a table in the transaction that
updated its rows under deferred foreign keys.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_seed_patients_own_words"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="pendingchange",
            name="events",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="pendingchange",
            name="content_type",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="pendingchange",
            name="object_id",
            field=models.PositiveBigIntegerField(
                blank=True, help_text="Empty for a new item that waits to be added.", null=True
            ),
        ),
        migrations.AlterField(
            model_name="pendingchange",
            name="article",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="changes",
                to="articles.article",
            ),
        ),
    ]
