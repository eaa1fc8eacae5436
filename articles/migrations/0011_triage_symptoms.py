"""When-to-get-help symptoms (loaded from content/triage.yaml by import_content).

Where a symptom sends a patient is a clinical decision: clinical reviewers add and change
symptoms; editors see them (their keys are what care cards list)."""

import markdownx.models
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

REVIEWER_PERMISSIONS = [
    "add_triagesymptom", "change_triagesymptom", "delete_triagesymptom", "view_triagesymptom"
]  # fmt: skip
EDITOR_PERMISSIONS = ["view_triagesymptom"]


def grant_permissions(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in [
        ("Clinical reviewer", REVIEWER_PERMISSIONS),
        ("Editor", EDITOR_PERMISSIONS),
    ]:
        wanted = Permission.objects.filter(
            content_type__app_label="articles", codename__in=codenames
        )
        for group in Group.objects.filter(name=name):
            group.permissions.add(*wanted)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_sent_back_emails_and_revised_status"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="TriageSymptom",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "key",
                    models.SlugField(
                        help_text="The name editors type in a care card, e.g. slow-breathing: lower-case words joined by hyphens. It is never shown to patients.",
                        max_length=60,
                        unique=True,
                    ),
                ),
                (
                    "level",
                    models.CharField(
                        choices=[
                            ("emergency", "Call 911 or go to the emergency room now"),
                            ("crisis", "Call or text 988 now"),
                            ("clinic_today", "Call the clinic the same day"),
                            ("soon", "See your own doctor or the clinic within a few days"),
                        ],
                        help_text="Where this symptom sends a patient, on every card and on /when-to-get-help/. 911 (emergency) for anything that may threaten life or limb, such as a stroke, trouble breathing or a serious allergic reaction; 988 only for a mental-health crisis, never for a physical symptom; the clinic the same day for what needs a clinician today but is not an emergency; your own doctor or the clinic soon for the rest. Saving changes every card that lists it.",
                        max_length=20,
                    ),
                ),
                (
                    "text",
                    models.CharField(
                        help_text="The symptom in plain words, as patients read it after “Get help if you have:”, e.g. “Slow, shallow or stopped breathing”. Grade 6 reading level or lower.",
                        max_length=300,
                    ),
                ),
                (
                    "order",
                    models.PositiveIntegerField(
                        default=100, help_text="Position in its level's list (1 is shown first)."
                    ),
                ),
                ("source_hash", models.CharField(blank=True, editable=False, max_length=64)),
            ],
            options={
                "verbose_name": "when-to-get-help symptom",
                "ordering": ["order", "pk"],
            },
        ),
        migrations.AlterField(
            model_name="article",
            name="body",
            field=markdownx.models.MarkdownxField(
                help_text='The article in Markdown. Start sections with ## Heading. Cite a source right after the claim with its key, like this: [^anand2023] (keys are in content/references.yaml); the numbered list under References is made for you. For when to get help, use a care card that lists symptom keys: !!! when-to-get-help "After a dose, get help if you notice:", then one key per line indented by four spaces, like - slow-breathing (every key, with where it sends the reader and its words, is in Formatting help). For other information, !!! info "Good to know" with its text indented by four spaces.'
            ),
        ),
        migrations.AlterField(
            model_name="faqentry",
            name="answer",
            field=markdownx.models.MarkdownxField(
                help_text="Two to five sentences in Markdown, with a link to an article. A when-to-get-help care card works here too (see Formatting help)."
            ),
        ),
        migrations.AlterField(
            model_name="historicalarticle",
            name="body",
            field=markdownx.models.MarkdownxField(
                help_text='The article in Markdown. Start sections with ## Heading. Cite a source right after the claim with its key, like this: [^anand2023] (keys are in content/references.yaml); the numbered list under References is made for you. For when to get help, use a care card that lists symptom keys: !!! when-to-get-help "After a dose, get help if you notice:", then one key per line indented by four spaces, like - slow-breathing (every key, with where it sends the reader and its words, is in Formatting help). For other information, !!! info "Good to know" with its text indented by four spaces.'
            ),
        ),
        migrations.AlterField(
            model_name="historicalfaqentry",
            name="answer",
            field=markdownx.models.MarkdownxField(
                help_text="Two to five sentences in Markdown, with a link to an article. A when-to-get-help care card works here too (see Formatting help)."
            ),
        ),
        migrations.RunPython(grant_permissions, migrations.RunPython.noop),
    ]
