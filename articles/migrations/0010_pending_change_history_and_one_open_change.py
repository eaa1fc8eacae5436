"""A plain-words history on each pending change, and at most one open change per article.

Before this, a History revert while a change waited could leave two open changes for one
article. The newest stays open; each older one is marked withdrawn, with a line in its
history saying why, so no stored text is lost.
"""

from django.conf import settings
from django.db import migrations, models


OPEN = ["waiting", "sent_back"]


def close_older_open_changes(apps, schema_editor):
    PendingChange = apps.get_model("articles", "PendingChange")
    newest = {}
    for change in PendingChange.objects.filter(status__in=OPEN).order_by(
        "-submitted_at", "-pk"
    ):
        if change.article_id not in newest:
            newest[change.article_id] = change.pk
            continue
        change.status = "withdrawn"
        change.events = [
            "Withdrawn when the site kept one open change per article (a newer one waits)"
        ]
        change.save(update_fields=["status", "events"])


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0009_seed_search_synonyms'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='pendingchange',
            name='events',
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(close_older_open_changes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='pendingchange',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['waiting', 'sent_back'])), fields=('article',), name='one_open_change_per_item'),
        ),
    ]
