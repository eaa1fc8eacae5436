"""Staff users in the roles the site defines, for admin and editor tests."""

from importlib import import_module

from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The data migrations that create the staff groups and give them their permissions.
ROLE_MIGRATIONS = [
    ("articles.migrations.0003_editor_roles", "create_groups"),
    ("articles.migrations.0007_citations_in_text_and_glossary", "give_glossary_permissions"),
    ("articles.migrations.0011_triage_symptoms", "grant_permissions"),
    ("articles.migrations.0017_sources_from_references_file", "grant_permissions"),
    ("articles.migrations.0021_article_translations", "grant_permissions"),
    ("inquiries.migrations.0002_front_desk_group", "create_front_desk_group"),
    ("insights.migrations.0003_clinic_manager_group", "create_clinic_manager_group"),
]


def restore_roles() -> None:
    """Put the staff groups back as the migrations made them. A transactional test's
    flush (the migration tests are transactional) empties every table, groups included,
    so a later transactional test would find none."""
    executor = MigrationExecutor(connection)
    apps = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps
    for module, function in ROLE_MIGRATIONS:
        getattr(import_module(module), function)(apps, None)


def staff_in_group(username: str, group_name: str) -> User:
    """A staff member in one of the groups the migrations create ("Editor", ...)."""
    user = User.objects.create_user(username, password="correct horse battery", is_staff=True)
    if not Group.objects.filter(name=group_name).exists():
        restore_roles()
    user.groups.add(Group.objects.get(name=group_name))
    return user


def staff_with_permissions(username: str, *codenames: str) -> User:
    user = User.objects.create_user(username, password="correct horse battery", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user
