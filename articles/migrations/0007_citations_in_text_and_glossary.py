"""Citations move into the article text; a glossary is added.

Article.references (free text, one source per line, listed under the article) is
removed: articles now cite sources by key where the claim is ([^key], keys in
content/references.yaml). A free-text line cannot be placed next to its claim
automatically, so, before the field goes:

- an article unchanged since import_content loaded it gets a new import fingerprint (the
  same content without references), so the next import_content updates it from content/,
  whose files now carry the citations in the text, without --force;
- an article edited in the admin keeps its old reference lines at the end of its body in
  an HTML comment (never shown to visitors: the sanitiser removes comments), for the
  editor to turn into [^key] citations next to the claims.
"""

import hashlib
import json

import django.db.models.deletion
import markdownx.models
import simple_history.models
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

# Editors and clinical reviewers (0003_editor_roles) keep the glossary as they keep the FAQ.
GLOSSARY_PERMISSIONS = ["add_glossaryterm", "change_glossaryterm", "view_glossaryterm"]


def fingerprint(state: dict) -> str:  # as articles.models.fingerprint
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()


def state_of(article, references: list[str] | None) -> dict:  # Article.content_state()
    state = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "topic": article.topic,
        "order": article.order,
        "status": article.status,
        "author": article.author.name if article.author else None,
        "reviewer": article.reviewer.name if article.reviewer else None,
        "reviewed_on": article.reviewed_on.isoformat() if article.reviewed_on else None,
        "next_review_due": (
            article.next_review_due.isoformat() if article.next_review_due else None
        ),
        "body": article.body.strip(),
    }
    if references is not None:
        state["references"] = references
    return state


def move_references(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.select_related("author", "reviewer"):
        lines = [line.strip() for line in article.references.splitlines() if line.strip()]
        if article.source_hash and fingerprint(state_of(article, lines)) == article.source_hash:
            article.source_hash = fingerprint(state_of(article, None))
            Article.objects.filter(pk=article.pk).update(source_hash=article.source_hash)
        elif lines:
            kept = "\n".join(line.replace("--", "-").replace(">", ")") for line in lines)
            article.body = (
                article.body.rstrip()
                + "\n\n<!-- References listed before citations moved into the text. Cite "
                "each where its claim is made, as [^key] with its key from "
                "content/references.yaml, then delete this note:\n" + kept + "\n-->\n"
            )
            Article.objects.filter(pk=article.pk).update(body=article.body)


def give_glossary_permissions(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = Permission.objects.filter(
        content_type__app_label="articles", codename__in=GLOSSARY_PERMISSIONS
    )
    for group in Group.objects.filter(name__in=["Editor", "Clinical reviewer"]):
        group.permissions.add(*wanted)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_clean_text_and_existing_reviews"),
        ("clinic", "0003_pages_and_opening_hours"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(move_references, migrations.RunPython.noop),
        migrations.CreateModel(
            name="GlossaryTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "term",
                    models.CharField(
                        help_text="The word or phrase as patients see it.",
                        max_length=100,
                        unique=True,
                    ),
                ),
                (
                    "slug",
                    models.SlugField(
                        help_text="The entry's place on the glossary page (/glossary/#slug). Keep it stable.",
                        max_length=100,
                        unique=True,
                    ),
                ),
                (
                    "also",
                    models.TextField(
                        blank=True,
                        help_text="Other words that should link to this entry, one per line: a plural, a short form (e.g. NMDA receptors).",
                        verbose_name="other forms",
                    ),
                ),
                (
                    "definition",
                    markdownx.models.MarkdownxField(
                        help_text="One to three plain sentences (grade 8 or lower). You may link to an article."
                    ),
                ),
                ("definition_html", models.TextField(default="", editable=False)),
                ("source_hash", models.CharField(blank=True, editable=False, max_length=64)),
            ],
            options={
                "verbose_name": "glossary term",
                "ordering": ["term"],
            },
        ),
        migrations.CreateModel(
            name='HistoricalGlossaryTerm',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('term', models.CharField(db_index=True, help_text='The word or phrase as patients see it.', max_length=100)),
                ('slug', models.SlugField(help_text="The entry's place on the glossary page (/glossary/#slug). Keep it stable.", max_length=100)),
                ('also', models.TextField(blank=True, help_text='Other words that should link to this entry, one per line: a plural, a short form (e.g. NMDA receptors).', verbose_name='other forms')),
                ('definition', markdownx.models.MarkdownxField(help_text='One to three plain sentences (grade 8 or lower). You may link to an article.')),
                ('source_hash', models.CharField(blank=True, editable=False, max_length=64)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical glossary term',
                'verbose_name_plural': 'historical glossary terms',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RemoveField(
            model_name="article",
            name="references",
        ),
        migrations.RemoveField(
            model_name="historicalarticle",
            name="references",
        ),
        migrations.AlterField(
            model_name="article",
            name="body",
            field=markdownx.models.MarkdownxField(
                help_text='The article in Markdown. Start sections with ## Heading. Cite a source right after the claim with its key, like this: [^anand2023] (keys are in content/references.yaml); the numbered list under References is made for you. For urgent advice, use a care card: !!! emergency "Call 911 if:", !!! urgent "..." or !!! info "...", then the text indented by four spaces.'
            ),
        ),
        migrations.AlterField(
            model_name="historicalarticle",
            name="body",
            field=markdownx.models.MarkdownxField(
                help_text='The article in Markdown. Start sections with ## Heading. Cite a source right after the claim with its key, like this: [^anand2023] (keys are in content/references.yaml); the numbered list under References is made for you. For urgent advice, use a care card: !!! emergency "Call 911 if:", !!! urgent "..." or !!! info "...", then the text indented by four spaces.'
            ),
        ),
        migrations.RunPython(give_glossary_permissions, migrations.RunPython.noop),
    ]
