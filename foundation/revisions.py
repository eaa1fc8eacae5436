"""Keeping the revision history clean: text stored one way, and no revision for a save
that changed nothing.

Browsers send a textarea's text with Windows line endings (\\r\\n) while content/ files
and the shell use \\n; stored as sent, the same text would look different every time it
came from the other side, and every admin save would record a "change". Infrastructure:
imports no app.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import models


def normalise_newlines(text: str | None) -> str:
    """\\r\\n and lone \\r become \\n."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def tracked_field_names(instance: models.Model) -> list[str]:
    """The model's fields that django-simple-history keeps in each revision."""
    history_model = type(instance).history.model
    own = {field.attname for field in type(instance)._meta.concrete_fields}
    return [
        field.attname
        for field in history_model._meta.concrete_fields
        if field.attname in own
        and not field.name.startswith("history_")
        and not getattr(type(instance)._meta.get_field(field.name), "auto_now", False)
    ]


def unchanged_since_stored(instance: models.Model) -> bool:
    if instance.pk is None or instance._state.adding:
        return False
    names = tracked_field_names(instance)
    stored = type(instance)._default_manager.filter(pk=instance.pk).values(*names).first()
    if stored is None:
        return False
    return all(stored[name] == getattr(instance, name) for name in names)


@contextmanager
def skip_history_if_unchanged(instance: models.Model) -> Iterator[None]:
    """Save without a new revision when no tracked field differs from the stored row."""
    skip = unchanged_since_stored(instance)
    if skip:
        instance.skip_history_when_saving = True
    try:
        yield
    finally:
        if skip:
            del instance.skip_history_when_saving
