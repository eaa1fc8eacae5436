"""Which content follows the clinical review rule, and what of it a change carries.

Every model whose text reaches a patient registers here (articles/review/content.py):
an Editor's change to a live item waits as a PendingChange for a clinical reviewer, and
a review's fingerprint covers its `reviewed_fields`. Joining the rule takes one call:

    register(TriageSymptom, fields=("key", "level", "text"), noun="triage symptom")

and, in the model's admin, `ReviewedContentAdmin` (articles/review/admin.py) as a base.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete

from ..models import PendingChange


@dataclass(frozen=True)
class Reviewable:
    model: type[models.Model]
    # What an editor may change: the values a pending change carries.
    fields: tuple[str, ...]
    # Everyday name, for messages ("Your change to the FAQ answer ...").
    noun: str
    # True for a model with drafts (Article): a draft is edited freely, only a published
    # item is live. Without drafts, every saved item is live, so an Editor's new item
    # waits too.
    drafts: bool = False
    # Run after an approved change is saved (the glossary renders the articles again).
    after_save: Callable[[], object] | None = None
    # For content that is live only while patients may read it (a translation: shown when
    # its review allows and its English item is on the site): whether this item is shown.
    # Its edits follow an article's rule; approval records the reviewer's review on it.
    shown: Callable[[models.Model], bool] | None = None
    # The fields a reviewer compares and reads (default: `fields`); a translation leaves
    # out the fingerprints of the English it translates, which a person cannot read.
    compared: tuple[str, ...] | None = None

    def is_live(self, item: models.Model | None) -> bool:
        if item is None or item.pk is None:
            return False
        if self.shown is not None:
            return self.shown(item)
        return item.status == "published" if self.drafts else True

    @property
    def may_be_offline(self) -> bool:
        """Whether an item can be saved without patients seeing it (a draft article, a
        translation not shown): such an item is edited freely until it is live."""
        return self.drafts or self.shown is not None

    @property
    def records_review(self) -> bool:
        """A translation carries its own review record, signed off as an article's is."""
        return self.shown is not None

    @property
    def compared_fields(self) -> tuple[str, ...]:
        return self.compared or self.fields


_REGISTRY: dict[str, Reviewable] = {}


def register(
    model: type[models.Model],
    *,
    fields: tuple[str, ...],
    noun: str,
    drafts: bool = False,
    after_save: Callable[[], object] | None = None,
    shown: Callable[[models.Model], bool] | None = None,
    compared: tuple[str, ...] | None = None,
) -> Reviewable:
    spec = Reviewable(
        model=model,
        fields=tuple(fields),
        noun=noun,
        drafts=drafts,
        after_save=after_save,
        shown=shown,
        compared=tuple(compared) if compared else None,
    )
    _REGISTRY[model._meta.label_lower] = spec
    post_delete.connect(forget_changes, sender=model, dispatch_uid=f"review_{model._meta}")
    return spec


def forget_changes(sender, instance, **kwargs) -> None:
    """A deleted item's changes go with it (as a foreign key's CASCADE did), so none can
    be approved later as if it were a new item."""
    PendingChange.objects.filter(
        content_type=content_type_of(sender), object_id=instance.pk
    ).delete()


def spec_for(model_or_item) -> Reviewable | None:
    """The registration of this model (or of an item's model), or None."""
    return _REGISTRY.get(model_or_item._meta.label_lower)


def registered() -> list[Reviewable]:
    return list(_REGISTRY.values())


def content_type_of(model_or_item) -> ContentType:
    return ContentType.objects.get_for_model(model_or_item, for_concrete_model=True)


def pending_values(item: models.Model) -> dict:
    """The registered fields of an (unsaved) item, in a form JSON can store."""
    spec = spec_for(item)
    values = {}
    for name in spec.fields:
        field = item._meta.get_field(name)
        value = getattr(item, field.attname)
        values[field.attname] = value.isoformat() if hasattr(value, "isoformat") else value
    return values


def apply_values(item: models.Model, values: dict) -> None:
    spec = spec_for(item)
    for name in spec.fields:
        field = item._meta.get_field(name)
        if field.attname in values:
            raw = values[field.attname]
            value = field.to_python(raw) if not field.is_relation else raw
            setattr(item, field.attname, value)


def differs(stored: models.Model, candidate: models.Model) -> bool:
    for name in spec_for(candidate).fields:
        attname = candidate._meta.get_field(name).attname
        if getattr(stored, attname) != getattr(candidate, attname):
            return True
    return False
