"""The "Front desk" group: staff who read and answer inquiries.

Members can view and change inquiries (status and notes) and export them to CSV. Article
editors are not in it, so they cannot see what patients wrote.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Front desk"
PERMISSIONS = ["view_inquiry", "change_inquiry", "export_inquiry"]


def create_front_desk_group(apps, schema_editor):
    # Permissions are normally created after all migrations have run; create them now so
    # the group can be given them in the same `migrate`.
    app_config = apps.get_app_config("inquiries")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="inquiries", codename__in=PERMISSIONS)
    )


def remove_front_desk_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("inquiries", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_front_desk_group, remove_front_desk_group)]
