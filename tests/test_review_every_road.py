"""One rule, every road (issue 24): an Editor's change to anything a patient reads (an
FAQ answer, a glossary entry, a page; articles in tests/clinical_review/ and
test_review_rule.py) waits for a clinical reviewer, is never live and never signed off,
whichever admin road it takes: the add form, the change form, the list's editable
columns, History revert, deleting one or deleting many."""

from dataclasses import dataclass
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from articles.models import ChangeStatus, FAQEntry, GlossaryTerm, PendingChange
from clinic.models import Clinician, Page
from tests.staff import staff_in_group


@dataclass
class Kind:
    model: type
    live: dict  # a live item's fields
    edited: dict  # the form an Editor posts: the live values with one change
    new: dict  # the form for a new item
    public_url: str  # where patients read it
    secret: str  # the Editor's unreviewed words


KINDS = {
    "faq": Kind(
        FAQEntry,
        live={
            "question": "Can I drive home?",
            "answer": "No. Ask someone to drive you.",
            "order": 1,
        },
        edited={"question": "Can I drive home?", "answer": "Yes, drive home.", "order": 1},
        new={"question": "Is it safe?", "answer": "Do not call 911.", "order": 2},
        public_url="/faq/",
        secret="drive home.",
    ),
    "glossary": Kind(
        GlossaryTerm,
        live={
            "term": "Dissociation",
            "slug": "dissociation",
            "also": "",
            "definition": "Detached.",
        },
        edited={
            "term": "Dissociation",
            "slug": "dissociation",
            "also": "",
            "definition": "Harmless.",
        },
        new={"term": "Infusion", "slug": "infusion", "also": "", "definition": "Do not call 911."},
        public_url="/glossary/",
        secret="Harmless.",
    ),
    "page": Kind(
        Page,
        live={
            "title": "Privacy",
            "slug": "privacy",
            "summary": "How we keep data.",
            "body": "We keep little.",
        },
        edited={
            "title": "Privacy",
            "slug": "privacy",
            "summary": "How we keep data.",
            "body": "We sell data.",
        },
        new={
            "title": "Crisis",
            "slug": "crisis",
            "summary": "What to do.",
            "body": "Do not call 911.",
        },
        public_url="/privacy/",
        secret="We sell data.",
    ),
}
SECRET_NEW = "Do not call 911."


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def editor(db):
    """An Editor who may also change pages (no group does; an administrator might grant it)."""
    user = staff_in_group("editor", "Editor")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_page", "add_page", "view_page"])
    )
    Clinician.objects.create(name="Nia Nurse", credentials="RN", user=user)  # may not sign off
    return user


@pytest.fixture
def reviewer(db):
    user = staff_in_group("reviewer", "Clinical reviewer")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_page", "add_page", "view_page"])
    )
    Clinician.objects.create(name="Dr Grace Reviewer", credentials="MD", user=user)
    return user


def public(client, kind: Kind) -> str:
    client.logout()
    response = client.get(kind.public_url)
    assert response.status_code == 200
    return response.content.decode()


def assert_waiting_never_live(client, kind: Kind, words: str) -> PendingChange:
    change = PendingChange.objects.get(status=ChangeStatus.WAITING)
    assert words in str(change.values)
    assert words not in public(client, kind)
    return change


@pytest.mark.parametrize("name", KINDS)
def test_the_change_form(client, editor, reviewer, name):
    kind = KINDS[name]
    item = kind.model.objects.create(**kind.live)
    client.force_login(editor)
    response = client.post(admin_url(kind.model, "change", item.pk), kind.edited, follow=True)
    assert "waiting for clinical review" in response.content.decode()
    change = assert_waiting_never_live(client, kind, kind.secret)

    # The Editor's form continues from the waiting version; a second save updates it.
    client.force_login(editor)
    assert kind.secret in client.get(admin_url(kind.model, "change", item.pk)).content.decode()
    client.post(admin_url(kind.model, "change", item.pk), kind.edited)
    assert PendingChange.objects.filter(status=ChangeStatus.WAITING).count() == 1

    # The reviewer sees it side by side and approves: now it is live.
    client.force_login(reviewer)
    url = reverse("admin:articles_pendingchange_change", args=[change.pk])
    screen = client.get(url).content.decode()
    assert "Approve and publish" in screen and "as it would go live" in screen
    client.post(url, {"action": "approve"})
    assert kind.secret in public(client, kind)


@pytest.mark.parametrize("name", KINDS)
def test_the_add_form(client, editor, reviewer, name):
    kind = KINDS[name]
    client.force_login(editor)
    response = client.post(admin_url(kind.model, "add"), kind.new)
    assert response.status_code == 302
    assert not kind.model.objects.exists()
    change = PendingChange.objects.get()
    assert change.object_id is None and SECRET_NEW in str(change.values)
    if name != "page":  # a page that does not exist has no address yet
        assert SECRET_NEW not in public(client, kind)
    client.force_login(editor)
    listing = client.get(reverse("admin:articles_pendingchange_changelist")).content.decode()
    assert "New" in listing

    client.force_login(reviewer)
    url = reverse("admin:articles_pendingchange_change", args=[change.pk])
    client.post(url, {"action": "approve"})
    item = kind.model.objects.get()
    change.refresh_from_db()
    assert change.object_id == item.pk and change.status == ChangeStatus.APPROVED


@pytest.mark.parametrize("name", ["faq", "glossary"])  # pages keep no revisions
def test_history_revert(client, editor, name):
    kind = KINDS[name]
    item = kind.model.objects.create(**kind.edited)  # the unsafe words were live once
    first = item.history.earliest()
    for field, value in kind.live.items():
        setattr(item, field, value)
    item.save()
    client.force_login(editor)
    revert = admin_url(kind.model, "simple_history", item.pk, first.history_id)
    assert client.post(revert, kind.edited).status_code == 302
    assert_waiting_never_live(client, kind, kind.secret)
    # Reverting again while it waits updates the one open change.
    client.force_login(editor)
    client.post(revert, kind.edited)
    assert PendingChange.objects.filter(status=ChangeStatus.WAITING).count() == 1


def test_the_lists_editable_column(client, editor, make_faq):
    first, second = make_faq(order=1), make_faq(order=2)
    client.force_login(editor)
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-id": first.pk,
        "form-0-order": "9",
        "form-1-id": second.pk,
        "form-1-order": "2",
        "_save": "Save",
    }
    client.post(admin_url(FAQEntry, "changelist"), data)
    first.refresh_from_db()
    assert first.order == 1
    assert PendingChange.objects.get().values["order"] == 9


@pytest.mark.parametrize("name", KINDS)
def test_deleting_live_content_is_a_reviewers_to_do(client, editor, name):
    kind = KINDS[name]
    item = kind.model.objects.create(**kind.live)
    client.force_login(editor)
    assert client.post(admin_url(kind.model, "delete", item.pk), {"post": "yes"}).status_code == 403
    data = {"action": "delete_selected", "_selected_action": [item.pk], "post": "yes"}
    client.post(admin_url(kind.model, "changelist"), data)
    assert kind.model.objects.filter(pk=item.pk).exists()


def test_a_reviewers_own_edit_goes_live(client, reviewer):
    kind = KINDS["faq"]
    item = FAQEntry.objects.create(**kind.live)
    client.force_login(reviewer)
    client.post(admin_url(FAQEntry, "change", item.pk), kind.edited)
    assert not PendingChange.objects.exists()
    assert kind.secret in public(client, kind)


def test_a_sent_back_new_item_can_be_withdrawn(client, editor, reviewer):
    client.force_login(editor)
    client.post(admin_url(FAQEntry, "add"), KINDS["faq"].new)
    change = PendingChange.objects.get()
    client.force_login(reviewer)
    url = reverse("admin:articles_pendingchange_change", args=[change.pk])
    client.post(url, {"action": "send_back", "comment": "Never say that."})
    client.force_login(editor)
    client.post(reverse("admin:articles_article_discard_change", args=[change.pk]))
    change.refresh_from_db()
    assert change.status == ChangeStatus.WITHDRAWN and not FAQEntry.objects.exists()


def test_import_content_holds_new_text_for_live_content(db, tmp_path, client):
    from django.core.management import call_command

    kind = KINDS["faq"]
    FAQEntry.objects.create(**kind.live)
    (tmp_path / "articles").mkdir()
    (tmp_path / "pages").mkdir()
    (tmp_path / "faq.md").write_text("## Can I drive home?\n\nYes, drive home.\n", encoding="utf-8")
    out = StringIO()
    call_command("import_content", dir=tmp_path, force=True, stdout=out)
    assert "Waiting for clinical review: 1 item(s)" in out.getvalue()
    change = assert_waiting_never_live(client, kind, kind.secret)
    assert "Imported from content/" in change.events[0]
