"""Who may do what in the admin, and how signing in is protected against guessing.

Editors write; only clinical reviewers publish and record the medical review. After 5
wrong passwords for one username from one address, or 20 from one address across any
usernames, sign-in from there is refused for 15 minutes, even with the right password.
"""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Status, one_year_after
from clinic.models import Clinician
from tests.staff import staff_in_group
from tests.test_admin_editing import change_url, form_data

LOGIN = reverse("admin:login")
PASSWORD = "correct horse battery"
LOCKOUT_MESSAGE = (
    "Too many failed sign-in attempts. Please wait 15 minutes and try again, "
    "or ask another staff member to unlock your account."
)


def permissions_of(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


@pytest.mark.django_db
def test_roles_have_exactly_what_they_need():
    editor = {
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        "articles.add_faqentry",
        "articles.change_faqentry",
        "articles.view_faqentry",
        "articles.add_glossaryterm",
        "articles.change_glossaryterm",
        "articles.view_glossaryterm",
        # Sources are edited in the admin; an Editor's change waits for a reviewer.
        "articles.add_citedsource",
        "articles.change_citedsource",
        "articles.view_citedsource",
        "clinic.view_clinician",
        # Where a symptom sends a patient is a clinician's decision: Editors only see them.
        "articles.view_triagesymptom",
        # Translations are written as articles are; only a reviewer records their review.
        "articles.add_articletranslation",
        "articles.change_articletranslation",
        "articles.view_articletranslation",
        "articles.add_faqentrytranslation",
        "articles.change_faqentrytranslation",
        "articles.view_faqentrytranslation",
        "articles.add_glossarytermtranslation",
        "articles.change_glossarytermtranslation",
        "articles.view_glossarytermtranslation",
        "clinic.add_pagetranslation",
        "clinic.change_pagetranslation",
        "clinic.view_pagetranslation",
        # As for the English symptoms, Editors only see the triage data's translation.
        "articles.view_triagetranslation",
    }
    assert permissions_of("Editor") == editor
    assert permissions_of("Clinical reviewer") == editor | {
        "articles.publish_article",
        "articles.add_triagesymptom",
        "articles.change_triagesymptom",
        "articles.delete_triagesymptom",
        "articles.add_triagetranslation",
        "articles.change_triagetranslation",
    }


@pytest.fixture
def reviewer_client(client, db):
    client.force_login(staff_in_group("reviewer", "Clinical reviewer"))
    return client


@pytest.fixture
def clinician(db):
    return Clinician.objects.create(name="Dr Ada Example", credentials="MD")


def test_editor_sees_status_and_review_fields_read_only(editor_client, make_article):
    html = editor_client.get(change_url(make_article(status=Status.DRAFT))).content.decode()
    for field in ["status", "reviewer", "reviewed_on", "next_review_due"]:
        assert f'name="{field}"' not in html
    assert 'name="publish_at_0"' in html and 'name="body"' in html


def test_editor_cannot_publish_a_new_article(editor_client):
    data = {
        "title": "Aftercare",
        "slug": "aftercare",
        "summary": "What to do after a session.",
        "topic": "treatment",
        "order": 5,
        "body": "## After\n\nRest.",
        "status": "published",
        "publish_at_0": "2020-01-01",
        "publish_at_1": "00:00:00",
    }
    response = editor_client.post("/admin/articles/article/add/", data)
    assert response.status_code == 302
    article = Article.objects.get(slug="aftercare")
    assert article.status == Status.DRAFT
    assert editor_client.logout() is None
    assert editor_client.get("/articles/aftercare/").status_code == 404


def test_editor_cannot_publish_or_sign_off_an_existing_draft(
    editor_client, make_article, clinician
):
    draft = make_article(status=Status.DRAFT, body="Old text.")
    data = form_data(
        draft,
        body="New text.",
        status="published",
        reviewer=clinician.pk,
        reviewed_on="2026-01-02",
        next_review_due="2030-01-02",
    )
    assert editor_client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.body == "New text."  # the edit itself is kept
    assert draft.status == Status.DRAFT
    assert draft.reviewer is None and draft.reviewed_on is None and draft.next_review_due is None


def test_editor_can_schedule(editor_client, make_article):
    article = make_article(status=Status.DRAFT)
    data = form_data(article, publish_at_0="2031-05-06", publish_at_1="08:00:00")
    assert editor_client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert timezone.localtime(article.publish_at).date() == datetime.date(2031, 5, 6)


def test_editor_cannot_publish_by_restoring_a_published_revision(editor_client, make_article):
    """Restoring starts from the old revision's values; publishing stays the reviewer's call."""
    article = make_article(status=Status.PUBLISHED, body="Published text.")
    article.status = Status.DRAFT
    article.save()
    published_revision = article.history.earliest()
    assert published_revision.status == Status.PUBLISHED
    restore_url = reverse(
        "admin:articles_article_simple_history", args=[article.pk, published_revision.history_id]
    )
    data = form_data(published_revision.instance)
    data.pop("status")  # read-only for editors, so the form does not send it
    assert editor_client.post(restore_url, data).status_code == 302
    article.refresh_from_db()
    assert article.body == "Published text." and article.status == Status.DRAFT


def test_clinical_reviewer_can_publish_and_sign_off(reviewer_client, make_article, clinician):
    clinician.user = User.objects.get(username="reviewer")
    clinician.save()
    draft = make_article(slug="to-publish", status=Status.DRAFT)
    # Typed-in review fields are ignored: a review is recorded by signing off.
    data = form_data(draft, status="published", reviewer=clinician.pk, reviewed_on="2020-03-04")
    refused = reviewer_client.post(change_url(draft), data)
    assert refused.status_code == 200
    assert "no clinician has reviewed this text" in refused.content.decode()
    response = reviewer_client.post(change_url(draft), {**data, "record_review": "on"})
    assert response.status_code == 302
    draft.refresh_from_db()
    today = timezone.localdate()
    assert draft.status == Status.PUBLISHED
    assert draft.reviewer == clinician and draft.reviewed_on == today
    assert draft.next_review_due == one_year_after(today)  # one year after the review
    assert draft.review_is_current
    reviewer_client.logout()
    assert reviewer_client.get("/articles/to-publish/").status_code == 200


def test_editor_can_upload_images(editor_client, settings, tmp_path):
    from tests.test_editor_endpoints import png_upload

    settings.MEDIA_ROOT = tmp_path
    response = editor_client.post(settings.MARKDOWNX_UPLOAD_URLS_PATH, {"image": png_upload()})
    assert response.status_code == 200 and "image_code" in response.json()


@pytest.mark.parametrize(
    "url", ["/admin/auth/user/", "/admin/auth/group/", "/admin/axes/accessattempt/"]
)
def test_editor_is_refused_user_group_and_sign_in_records(editor_client, url):
    assert editor_client.get(url).status_code == 403


def test_editor_home_shows_only_content(editor_client):
    response = editor_client.get("/admin/")
    apps = {app["app_label"] for app in response.context["app_list"]}
    assert apps == {"articles", "clinic"}
    html = response.content.decode()
    assert "Inquiries" not in html and "Users" not in html


def test_editor_cannot_delete_articles(editor_client, make_article):
    article = make_article()
    url = reverse("admin:articles_article_delete", args=[article.pk])
    assert editor_client.post(url, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


# --- Signing in ---------------------------------------------------------------------


@pytest.fixture
def staff_member(db):
    return User.objects.create_user("nurse", password=PASSWORD, is_staff=True)


def sign_in(client, username: str, password: str, address: str = "203.0.113.7"):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address
    )


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_right_password_after_four_mistakes_still_signs_in(client, staff_member):
    for _ in range(4):
        assert sign_in(client, "nurse", "wrong").status_code == 200
    response = sign_in(client, "nurse", PASSWORD)
    assert response.status_code == 302 and is_signed_in(client)


def test_five_failures_lock_out_even_the_right_password(client, staff_member):
    for _ in range(5):
        sign_in(client, "nurse", "wrong")
    response = sign_in(client, "nurse", PASSWORD)
    assert response.status_code == 429
    assert LOCKOUT_MESSAGE in response.content.decode()
    assert not is_signed_in(client)


def test_lockout_is_for_that_address_only(client, staff_member):
    for _ in range(5):
        sign_in(client, "nurse", "wrong", address="203.0.113.7")
    assert sign_in(client, "nurse", PASSWORD, address="198.51.100.20").status_code == 302


def test_lockout_ends_after_15_minutes(client, staff_member):
    from axes.models import AccessAttempt

    for _ in range(5):
        sign_in(client, "nurse", "wrong")
    assert sign_in(client, "nurse", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert sign_in(client, "nurse", PASSWORD).status_code == 302


def test_a_few_failures_across_usernames_do_not_lock_the_address(client, staff_member):
    """An office behind one address is not locked out by a few colleagues' typos."""
    for number in range(10):
        sign_in(client, f"colleague{number}", "wrong")
    assert sign_in(client, "nurse", PASSWORD).status_code == 302


def test_many_failures_across_usernames_lock_the_whole_address(client, staff_member):
    for number in range(20):
        sign_in(client, f"guess{number}", "wrong")
    response = sign_in(client, "nurse", PASSWORD)
    assert response.status_code == 429
    assert LOCKOUT_MESSAGE in response.content.decode()
    assert not is_signed_in(client)
    assert sign_in(client, "nurse", PASSWORD, address="198.51.100.20").status_code == 302


def test_behind_the_proxy_the_forwarded_address_is_counted(client, staff_member, settings):
    settings.INQUIRY_CLIENT_IP_HEADER = "X-Forwarded-For"
    for _ in range(5):
        client.post(
            LOGIN,
            {"username": "nurse", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="spoofed, 203.0.113.9",
        )
    locked = client.post(
        LOGIN,
        {"username": "nurse", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert locked.status_code == 429
    other_client = client.post(
        LOGIN,
        {"username": "nurse", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )
    assert other_client.status_code == 302
