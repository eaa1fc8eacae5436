"""The sources articles cite move from content/references.yaml into the database (the
file stays, written by export_content and read by import_content), and a review's
fingerprint covers the full text of the sources an article cites.

- Each source in the file becomes a CitedSource, marked as imported (so the next
  import_content finds nothing to change).
- A review that covers an article's current text still does: the sources it cites are
  the ones in the file today, so its fingerprint is recomputed to include them. A review
  that no longer covered the text stays "changed since review".
- Editors and clinical reviewers keep the sources as they keep the glossary (an Editor's
  change waits for a clinical reviewer, articles/review/).
"""

import hashlib
import json
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations

from foundation.markdown import cited_keys
from foundation.revisions import normalise_newlines

SOURCE_PERMISSIONS = ["add_citedsource", "change_citedsource", "view_citedsource"]
REVIEWED_FIELDS = ("title", "summary", "body")  # as articles.models


def digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


def reviewed_values(article) -> dict:  # as articles.models.reviewed_text_fingerprint
    values = {
        name: normalise_newlines(str(getattr(article, name) or "")).strip()
        for name in REVIEWED_FIELDS
    }
    return {name: value for name, value in values.items() if value}


def with_sources(values: dict, sources: dict) -> dict:
    keys = cited_keys(values.get("body", ""))
    if not keys:
        return values
    cited = [[key, *sources[key]] if key in sources else [key] for key in keys]
    return {**values, "sources": cited}


def read_file() -> dict[str, tuple[str, str]]:
    path = Path(settings.CITATION_SOURCES_FILE)
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        str(key): (" ".join(str(entry["text"]).split()), str(entry.get("url") or "").strip())
        for key, entry in data.items()
        if isinstance(entry, dict) and entry.get("text")
    }


def move_sources_and_refingerprint(apps, schema_editor):
    CitedSource = apps.get_model("articles", "CitedSource")
    Article = apps.get_model("articles", "Article")
    sources = read_file()
    for key, (text, url) in sources.items():
        state = {"key": key, "text": text, "url": url}
        CitedSource.objects.update_or_create(
            key=key, defaults={"text": text, "url": url, "source_hash": digest(state)}
        )
    for article in Article.objects.exclude(reviewed_hash=""):
        values = reviewed_values(article)
        if article.reviewed_hash == digest(values):
            article.reviewed_hash = digest(with_sources(values, sources))
            article.save(update_fields=["reviewed_hash"])


def grant_permissions(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = Permission.objects.filter(
        content_type__app_label="articles", codename__in=SOURCE_PERMISSIONS
    )
    for group in Group.objects.filter(name__in=["Editor", "Clinical reviewer"]):
        group.permissions.add(*wanted)


class Migration(migrations.Migration):
    dependencies = [("articles", "0016_cited_sources")]

    operations = [
        migrations.RunPython(move_sources_and_refingerprint, migrations.RunPython.noop),
        migrations.RunPython(grant_permissions, migrations.RunPython.noop),
    ]
