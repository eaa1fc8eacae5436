"""Staff users in the roles the site defines, for admin and editor tests."""

from django.contrib.auth.models import Group, Permission, User


def staff_in_group(username: str, group_name: str) -> User:
    """A staff member in one of the groups the migrations create ("Editor", ...)."""
    user = User.objects.create_user(username, password="correct horse battery", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def staff_with_permissions(username: str, *codenames: str) -> User:
    user = User.objects.create_user(username, password="correct horse battery", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user
