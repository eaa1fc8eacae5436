"""Pending changes for any content a patient reads, one open change per item, and a
plain-words history on each change.

Every existing change keeps its row, values, status, people, dates and comment: its
article becomes (content type "article", object id = the article's id). Before this, a
History revert while a change waited could leave two open changes for one article; the
newest stays open and each older one is marked withdrawn, with a line in its history
saying why, so no stored text is lost.
"""

from django.db import migrations, models

OPEN = ["waiting", "sent_back"]


def article_content_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="articles", model="article")
    return content_type


def to_content_and_one_open_change(apps, schema_editor):
    PendingChange = apps.get_model("articles", "PendingChange")
    if not PendingChange.objects.exists():
        return
    PendingChange.objects.update(content_type=article_content_type(apps))
    PendingChange.objects.update(object_id=models.F("article_id"))
    seen = set()
    for change in PendingChange.objects.filter(status__in=OPEN).order_by("-submitted_at", "-pk"):
        if change.article_id not in seen:
            seen.add(change.article_id)
            continue
        change.status = "withdrawn"
        change.events = [
            "Withdrawn when the site began keeping one open change per article "
            "(a newer change to the same article waits)"
        ]
        change.save(update_fields=["status", "events"])


def back_to_articles(apps, schema_editor):
    PendingChange = apps.get_model("articles", "PendingChange")
    ContentType = apps.get_model("contenttypes", "ContentType")
    article = ContentType.objects.filter(app_label="articles", model="article").first()
    # Changes to other content (or new items) had no place before this migration.
    PendingChange.objects.exclude(content_type=article, object_id__isnull=False).delete()
    PendingChange.objects.update(article_id=models.F("object_id"))


class Migration(migrations.Migration):
    dependencies = [("articles", "0013_pending_change_content_columns")]

    operations = [migrations.RunPython(to_content_and_one_open_change, back_to_articles)]
