"""Existing rows: text with \\n line endings (admin saves sent \\r\\n), and which recorded
reviews still cover the live text.

A review recorded before reviews were tied to a version of the text is kept only if the
title, summary, body and references are the same as in the revision where that review
was first recorded; otherwise the article reads "not yet reviewed" until a reviewer signs
off the current text. "Text last updated" is taken from the last admin save that changed
the text (an import's date is not a date the text changed, so it is left to import_content,
which reads it from the file).
"""

import hashlib
import json

from django.db import migrations

# Frozen copy of articles.models.REVIEWED_FIELDS / reviewed_text_fingerprint at this point.
REVIEWED_FIELDS = ("title", "summary", "body", "references")


def normalise(text):
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def fingerprint(row):
    # getattr with a default: another branch removes Article.references; whichever
    # migration runs first, this one still works.
    values = {
        name: normalise(str(getattr(row, name, "") or "")).strip() for name in REVIEWED_FIELDS
    }
    present = {name: value for name, value in values.items() if value}
    return hashlib.sha256(json.dumps(present, sort_keys=True).encode()).hexdigest()


def forwards(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    HistoricalArticle = apps.get_model("articles", "HistoricalArticle")
    FAQEntry = apps.get_model("articles", "FAQEntry")
    HistoricalFAQEntry = apps.get_model("articles", "HistoricalFAQEntry")

    for model, names in [
        (Article, ("body", "references")),
        (HistoricalArticle, ("body", "references")),
        (FAQEntry, ("answer",)),
        (HistoricalFAQEntry, ("answer",)),
    ]:
        names = [name for name in names if any(f.name == name for f in model._meta.fields)]
        for row in model.objects.all().iterator():
            changed = [name for name in names if normalise(getattr(row, name)) != getattr(row, name)]
            if changed:
                for name in changed:
                    setattr(row, name, normalise(getattr(row, name)))
                model.objects.filter(pk=row.pk).update(**{n: getattr(row, n) for n in changed})

    for article in Article.objects.all():
        revisions = list(
            HistoricalArticle.objects.filter(id=article.pk).order_by("history_date", "history_id")
        )
        updates = {}
        if article.reviewer_id and article.reviewed_on:
            recorded = next(
                (
                    r for r in revisions
                    if r.reviewer_id == article.reviewer_id and r.reviewed_on == article.reviewed_on
                ),
                None,
            )
            if recorded is None or fingerprint(recorded) == fingerprint(article):
                updates["reviewed_hash"] = fingerprint(article)
        last_text_change = None
        for previous, revision in zip(revisions, revisions[1:]):
            if fingerprint(previous) != fingerprint(revision) and revision.history_user_id:
                last_text_change = revision.history_date.date()
        if last_text_change:
            updates["text_updated_on"] = last_text_change
        if updates:
            Article.objects.filter(pk=article.pk).update(**updates)


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_review_versions_and_pending_changes")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
