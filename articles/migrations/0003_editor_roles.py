"""The "Editor" and "Clinical reviewer" groups for clinicians who edit content.

Editors write and change articles and FAQ entries and upload images, but cannot publish
or record a medical review. Clinical reviewers can do all that as well. Neither group can
see inquiries, users or groups. ("Front desk" is created by the inquiries app.)
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "Editor"
CLINICAL_REVIEWER = "Clinical reviewer"

EDITOR_PERMISSIONS = [
    ("articles", "add_article"),
    ("articles", "change_article"),
    ("articles", "view_article"),
    ("articles", "add_faqentry"),
    ("articles", "change_faqentry"),
    ("articles", "view_faqentry"),
    ("clinic", "view_clinician"),
]
REVIEWER_PERMISSIONS = EDITOR_PERMISSIONS + [("articles", "publish_article")]


def create_all_permissions(apps) -> None:
    # Permissions are normally created after all migrations have run; create them now so
    # the groups can be given them in the same `migrate`.
    for label in ("articles", "clinic"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_groups(apps, schema_editor):
    create_all_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in [(EDITOR, EDITOR_PERMISSIONS), (CLINICAL_REVIEWER, REVIEWER_PERMISSIONS)]:
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in wanted:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITOR, CLINICAL_REVIEWER]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_history_old_slugs_publish_permission"),
        ("clinic", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
