"""Pending changes for any content (second step, after 0014 moved every row): the
article column goes, and the database keeps one open change per item.

A migration of its own: PostgreSQL will not alter a table in the transaction that
updated its rows under deferred foreign keys.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("articles", "0014_pending_changes_to_any_content")]

    operations = [
        migrations.RemoveField(model_name="pendingchange", name="article"),
        migrations.AlterField(
            model_name="pendingchange",
            name="content_type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddIndex(
            model_name="pendingchange",
            index=models.Index(fields=["content_type", "object_id"], name="pending_change_item"),
        ),
        migrations.AddConstraint(
            model_name="pendingchange",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["waiting", "sent_back"])),
                fields=("content_type", "object_id"),
                name="one_open_change_per_item",
            ),
        ),
    ]
