"""The "Clinic manager" group: staff who may read /admin/insights/ (what patients read,
search for and find helpful). Without it only a superuser could see that page."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Clinic manager"
PERMISSIONS = ["view_insights"]


def create_clinic_manager_group(apps, schema_editor):
    # Permissions are normally created after all migrations have run; create them now so
    # the group can be given them in the same `migrate`.
    app_config = apps.get_app_config("insights")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="insights", codename__in=PERMISSIONS)
    )


def remove_clinic_manager_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0001_content_insights"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_clinic_manager_group, remove_clinic_manager_group)]
