"""The "Clinic manager" group (the staff who read /admin/insights/) may add, change and see
search synonyms: they see which searches found nothing, and "Add as a synonym of..." on that
page needs `search.add_searchsynonym`. Synonyms change what search finds, never what a page
says, so they need no clinical review. Editors and reviewers keep what they had."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Clinic manager"  # insights/migrations/0003_clinic_manager_group.py
CODENAMES = ["add_searchsynonym", "change_searchsynonym", "view_searchsynonym"]


def let_managers_add_synonyms(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Permissions are normally created after all migrations have run; create them now.
    app_config = apps.get_app_config("search")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="search", codename__in=CODENAMES)
    )


def take_it_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP_NAME):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="search", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_index_existing_pages"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(let_managers_add_synonyms, take_it_back)]
