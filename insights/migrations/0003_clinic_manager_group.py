"""The "Clinic manager" group: staff who may read /admin/insights/ (what patients read,
search for and find helpful). Without it only a superuser could see that page. Managers may
also look at (never change) the articles, FAQ, clinicians and the clinic profile, so that
the admin's home page shows them what the numbers are about; no inquiries."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Clinic manager"
PERMISSIONS = {
    "insights": ["view_insights"],
    "articles": ["view_article", "view_faqentry"],
    "clinic": ["view_clinician", "view_clinicprofile"],
}


def create_clinic_manager_group(apps, schema_editor):
    # Permissions are normally created after all migrations have run; create them now so
    # the group can be given them in the same `migrate`.
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    for app_label, codenames in PERMISSIONS.items():
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )


def remove_clinic_manager_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0002_crisis_search_day"),
        ("articles", "0001_initial"),
        ("clinic", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_clinic_manager_group, remove_clinic_manager_group)]
