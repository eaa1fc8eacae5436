"""Translations of FAQ answers, glossary entries and the triage data (issue 28), with the
fields every translation shares (clinic/translation.py; the clinic's page translations:
clinic 0007). ArticleTranslation's fields moved into that shared abstract base: the only
change to it is the reviewer's related_name, which touches no stored data (no SQL).

Editors and clinical reviewers write translations as they write the English; where a
symptom sends a patient is a clinician's decision, so, as for the English symptoms,
Editors only see the triage data's translation."""

import django.db.models.deletion
import markdownx.models
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

WRITTEN = ["faqentrytranslation", "glossarytermtranslation", "pagetranslation"]
EDITOR = [f"{action}_{model}" for model in WRITTEN for action in ("add", "change", "view")]
EDITOR.append("view_triagetranslation")
REVIEWER = [*EDITOR, "add_triagetranslation", "change_triagetranslation"]


def grant_permissions(apps, schema_editor):
    for label in ("articles", "clinic"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    apps_labels = ["articles", "clinic"]
    for name, codenames in (("Editor", EDITOR), ("Clinical reviewer", REVIEWER)):
        wanted = Permission.objects.filter(
            content_type__app_label__in=apps_labels, codename__in=codenames
        )
        for group in Group.objects.filter(name=name):
            group.permissions.add(*wanted)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0021_article_translations'),
        ('clinic', '0007_page_translations'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.AlterField(
            model_name='articletranslation',
            name='reviewer',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='%(app_label)s_%(class)s_reviewed', to='clinic.clinician', verbose_name='medical reviewer'),
        ),
        migrations.CreateModel(
            name='FAQEntryTranslation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(choices=[('es', 'Spanish')], default='es', max_length=10)),
                ('translator', models.CharField(help_text='Who translated this text, named honestly.', max_length=300)),
                ('translated_on', models.DateField(blank=True, null=True)),
                ('english_fingerprint', models.CharField(blank=True, editable=False, max_length=64)),
                ('english_text_translated', models.JSONField(blank=True, default=dict, editable=False)),
                ('english_sha256', models.CharField(blank=True, editable=False, max_length=64)),
                ('reviewed_on', models.DateField(blank=True, help_text='The date a clinician last checked this translation.', null=True)),
                ('next_review_due', models.DateField(blank=True, help_text='Left empty, it is set to one year after the review date.', null=True)),
                ('reviewed_hash', models.CharField(blank=True, editable=False, max_length=64)),
                ('source_file', models.CharField(blank=True, editable=False, max_length=300)),
                ('translation_of', models.CharField(blank=True, editable=False, max_length=300)),
                ('source_hash', models.CharField(blank=True, editable=False, max_length=64)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('question', models.CharField(max_length=300)),
                ('answer', markdownx.models.MarkdownxField(help_text='The translated answer in Markdown (the same care cards).')),
                ('answer_html', models.TextField(default='', editable=False)),
                ('entry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='articles.faqentry')),
                ('reviewer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='%(app_label)s_%(class)s_reviewed', to='clinic.clinician', verbose_name='medical reviewer')),
            ],
            options={
                'verbose_name': 'FAQ answer translation',
                'ordering': ['entry__order', 'entry__pk', 'language'],
                'constraints': [models.UniqueConstraint(fields=('entry', 'language'), name='one_faq_translation_per_language')],
            },
        ),
        migrations.CreateModel(
            name='GlossaryTermTranslation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(choices=[('es', 'Spanish')], default='es', max_length=10)),
                ('translator', models.CharField(help_text='Who translated this text, named honestly.', max_length=300)),
                ('translated_on', models.DateField(blank=True, null=True)),
                ('english_fingerprint', models.CharField(blank=True, editable=False, max_length=64)),
                ('english_text_translated', models.JSONField(blank=True, default=dict, editable=False)),
                ('english_sha256', models.CharField(blank=True, editable=False, max_length=64)),
                ('reviewed_on', models.DateField(blank=True, help_text='The date a clinician last checked this translation.', null=True)),
                ('next_review_due', models.DateField(blank=True, help_text='Left empty, it is set to one year after the review date.', null=True)),
                ('reviewed_hash', models.CharField(blank=True, editable=False, max_length=64)),
                ('source_file', models.CharField(blank=True, editable=False, max_length=300)),
                ('translation_of', models.CharField(blank=True, editable=False, max_length=300)),
                ('source_hash', models.CharField(blank=True, editable=False, max_length=64)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('term', models.CharField(max_length=100)),
                ('also', models.TextField(blank=True, help_text='Other forms as the translated pages write them.', verbose_name='other forms')),
                ('definition', markdownx.models.MarkdownxField()),
                ('definition_html', models.TextField(default='', editable=False)),
                ('glossary_term', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='articles.glossaryterm')),
                ('reviewer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='%(app_label)s_%(class)s_reviewed', to='clinic.clinician', verbose_name='medical reviewer')),
            ],
            options={
                'verbose_name': 'glossary entry translation',
                'ordering': ['glossary_term__term', 'language'],
                'constraints': [models.UniqueConstraint(fields=('glossary_term', 'language'), name='one_glossary_translation_per_language')],
            },
        ),
        migrations.CreateModel(
            name='TriageTranslation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(choices=[('es', 'Spanish')], default='es', max_length=10)),
                ('translator', models.CharField(help_text='Who translated this text, named honestly.', max_length=300)),
                ('translated_on', models.DateField(blank=True, null=True)),
                ('english_fingerprint', models.CharField(blank=True, editable=False, max_length=64)),
                ('english_text_translated', models.JSONField(blank=True, default=dict, editable=False)),
                ('english_sha256', models.CharField(blank=True, editable=False, max_length=64)),
                ('reviewed_on', models.DateField(blank=True, help_text='The date a clinician last checked this translation.', null=True)),
                ('next_review_due', models.DateField(blank=True, help_text='Left empty, it is set to one year after the review date.', null=True)),
                ('reviewed_hash', models.CharField(blank=True, editable=False, max_length=64)),
                ('source_file', models.CharField(blank=True, editable=False, max_length=300)),
                ('translation_of', models.CharField(blank=True, editable=False, max_length=300)),
                ('source_hash', models.CharField(blank=True, editable=False, max_length=64)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('level_headings', models.JSONField(default=list)),
                ('symptom_texts', models.JSONField(default=list)),
                ('reviewer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='%(app_label)s_%(class)s_reviewed', to='clinic.clinician', verbose_name='medical reviewer')),
            ],
            options={
                'verbose_name': 'triage data translation',
                'ordering': ['language'],
                'constraints': [models.UniqueConstraint(fields=('language',), name='one_triage_translation_per_language')],
            },
        ),
        migrations.RunPython(grant_permissions, migrations.RunPython.noop),
    ]
