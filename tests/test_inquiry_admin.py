"""Inquiries in the admin: who may see them, what is recorded, triage, export, retention."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from inquiries.models import Inquiry, InquiryAccessLog

CHANGELIST = "/admin/inquiries/inquiry/"


def change_url(inquiry: Inquiry) -> str:
    return f"{CHANGELIST}{inquiry.pk}/change/"


@pytest.fixture
def make_inquiry(db):
    def make(**fields) -> Inquiry:
        values = {
            "name": "Robin Tessaly",
            "email": "robin@example.org",
            "phone": "2015550123",
            "preferred_contact": Inquiry.PreferredContact.PHONE,
            "topic": Inquiry.Topic.COSTS,
            "message": "Does insurance cover infusions?",
            "consent": True,
        }
        values.update(fields)
        return Inquiry.objects.create(**values)

    return make


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def front_desk(db) -> Client:
    user = User.objects.create_user("frontdesk", is_staff=True)
    user.groups.add(Group.objects.get(name="Front desk"))
    return signed_in(user)


@pytest.fixture
def article_editor(db) -> Client:
    user = User.objects.create_user("editor", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="articles"))
    return signed_in(user)


@pytest.fixture
def superuser(db) -> Client:
    return signed_in(User.objects.create_superuser("boss", "boss@example.com", "x"))


# --- Who may see inquiries ------------------------------------------------------------


@pytest.mark.django_db
def test_the_front_desk_group_can_read_answer_and_export_but_not_delete():
    group = Group.objects.get(name="Front desk")
    assert set(group.permissions.values_list("codename", flat=True)) == {
        "view_inquiry",
        "change_inquiry",
        "export_inquiry",
    }


def test_an_article_editor_cannot_see_inquiries(article_editor, make_inquiry):
    inquiry = make_inquiry()
    assert article_editor.get("/admin/articles/article/").status_code == 200
    assert article_editor.get(CHANGELIST).status_code == 403
    assert article_editor.get(change_url(inquiry)).status_code == 403
    assert InquiryAccessLog.objects.count() == 0


def test_the_front_desk_sees_the_list_of_inquiries(front_desk, make_inquiry):
    make_inquiry(name="Robin Tessaly")
    response = front_desk.get(CHANGELIST)
    assert response.status_code == 200
    assert "Robin Tessaly" in response.content.decode()


def test_the_admin_home_page_counts_new_inquiries_for_staff_who_may_see_them(
    front_desk, article_editor, make_inquiry
):
    make_inquiry()
    make_inquiry()
    make_inquiry(status=Inquiry.Status.CONTACTED)
    make_inquiry(status=Inquiry.Status.SPAM)
    assert "2 new inquiries" in front_desk.get("/admin/").content.decode()
    editor_home = article_editor.get("/admin/")
    assert editor_home.status_code == 200
    assert "new inquir" not in editor_home.content.decode()


# --- Every view and export is recorded -------------------------------------------------


def test_opening_an_inquiry_is_recorded(front_desk, make_inquiry):
    inquiry = make_inquiry()
    response = front_desk.get(change_url(inquiry))
    assert response.status_code == 200
    [record] = InquiryAccessLog.objects.all()
    assert (record.inquiry, record.username, record.action) == (inquiry, "frontdesk", "view")


def test_patient_fields_are_read_only_and_staff_notes_editable(front_desk, make_inquiry):
    inquiry = make_inquiry()
    html = front_desk.get(change_url(inquiry)).content.decode()
    assert 'name="staff_notes"' in html and 'name="status"' in html
    for field in ("name", "email", "phone", "message", "topic", "preferred_contact"):
        assert f'name="{field}"' not in html
    assert "(201) 555-0123" in html  # the phone number, readable

    response = front_desk.post(
        change_url(inquiry),
        {"status": "contacted", "staff_notes": "Called back Tuesday.", "name": "Changed"},
    )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.staff_notes, inquiry.name) == (
        "contacted",
        "Called back Tuesday.",
        "Robin Tessaly",
    )


def test_only_superusers_read_the_access_records_and_nobody_edits_them(
    front_desk, superuser, make_inquiry
):
    inquiry = make_inquiry()
    front_desk.get(change_url(inquiry))
    record = InquiryAccessLog.objects.get()
    records = "/admin/inquiries/inquiryaccesslog/"
    assert front_desk.get(records).status_code == 403
    assert superuser.get(records).status_code == 200
    assert superuser.get(f"{records}add/").status_code == 403
    assert superuser.post(f"{records}{record.pk}/delete/", {"post": "yes"}).status_code == 403
    detail = superuser.get(f"{records}{record.pk}/change/").content.decode()
    assert 'name="username"' not in detail
    assert InquiryAccessLog.objects.count() == 1


def test_export_to_csv_gives_the_selected_inquiries_and_records_it(front_desk, make_inquiry):
    chosen = [make_inquiry(name="=HYPERLINK(1)"), make_inquiry(name="Ana Ruiz")]
    make_inquiry(name="Not chosen")
    response = front_desk.post(
        CHANGELIST,
        {"action": "export_csv", "_selected_action": [inquiry.pk for inquiry in chosen]},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["received", "name", "email"]
    names = [row[1] for row in rows[1:]]
    assert names == ["'=HYPERLINK(1)", "Ana Ruiz"]  # formulas are neutralised
    exported = InquiryAccessLog.objects.filter(action="export")
    assert sorted(exported.values_list("inquiry_id", flat=True)) == sorted(i.pk for i in chosen)


def test_export_needs_the_export_permission(make_inquiry):
    user = User.objects.create_user("viewer", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_inquiry", "change_inquiry"])
    )
    client = signed_in(user)
    inquiry = make_inquiry()
    page = client.get(CHANGELIST).content.decode()
    assert "export_csv" not in page
    response = client.post(CHANGELIST, {"action": "export_csv", "_selected_action": [inquiry.pk]})
    assert not response.get("Content-Type", "").startswith("text/csv")
    assert InquiryAccessLog.objects.count() == 0


# --- Triage ---------------------------------------------------------------------------


def test_spam_is_hidden_until_asked_for(front_desk, make_inquiry):
    make_inquiry(name="Real Person")
    make_inquiry(name="Casino Bot", status=Inquiry.Status.SPAM)
    default = front_desk.get(CHANGELIST).content.decode()
    assert "Real Person" in default and "Casino Bot" not in default
    only_spam = front_desk.get(CHANGELIST, {"status": "spam"}).content.decode()
    assert "Casino Bot" in only_spam and "Real Person" not in only_spam
    everything = front_desk.get(CHANGELIST, {"status": "all"}).content.decode()
    assert "Casino Bot" in everything and "Real Person" in everything


@pytest.mark.parametrize("action,status", [("mark_contacted", "contacted"), ("mark_closed", "closed"), ("mark_spam", "spam")])  # fmt: skip
def test_status_actions(front_desk, make_inquiry, action, status):
    inquiry, untouched = make_inquiry(), make_inquiry()
    response = front_desk.post(CHANGELIST, {"action": action, "_selected_action": [inquiry.pk]})
    assert response.status_code == 302
    inquiry.refresh_from_db()
    untouched.refresh_from_db()
    assert (inquiry.status, untouched.status) == (status, "new")


@pytest.mark.parametrize("term", ["(201) 555-0123", "555-0123", "robin@example.org", "Tessaly"])
def test_search_finds_inquiries_however_the_number_is_typed(front_desk, make_inquiry, term):
    make_inquiry()
    make_inquiry(name="Someone Else", email="else@example.org", phone="9735550999")
    html = front_desk.get(CHANGELIST, {"q": term}).content.decode()
    assert "Robin Tessaly" in html and "Someone Else" not in html


def test_staff_cannot_add_inquiries_by_hand(front_desk, superuser):
    assert front_desk.get(f"{CHANGELIST}add/").status_code == 403
    assert superuser.get(f"{CHANGELIST}add/").status_code == 403


# --- Retention ------------------------------------------------------------------------


def test_purge_deletes_inquiries_past_the_retention_period(make_inquiry, front_desk, settings):
    settings.INQUIRY_RETENTION_DAYS = 365
    now = timezone.now()
    old, recent = make_inquiry(), make_inquiry()
    Inquiry.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(days=366))
    Inquiry.objects.filter(pk=recent.pk).update(created_at=now - datetime.timedelta(days=364))
    front_desk.get(change_url(old))  # an access record, to be deleted with it

    dry = io.StringIO()
    call_command("purge_inquiries", "--dry-run", stdout=dry)
    assert "Would delete 1 inquiries" in dry.getvalue()
    assert Inquiry.objects.count() == 2

    out = io.StringIO()
    call_command("purge_inquiries", stdout=out)
    assert out.getvalue().strip() == "Deleted 1 inquiries older than 365 days."
    assert list(Inquiry.objects.all()) == [recent]
    assert not InquiryAccessLog.objects.filter(inquiry_id=old.pk).exists()
