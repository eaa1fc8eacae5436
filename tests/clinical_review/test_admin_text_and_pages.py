"""Clean history (newlines, no-op saves) and the trust pages and FAQ in the admin."""

from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import FAQEntry, Status
from clinic.models import Page
from tests.test_admin_editing import change_url, form_data

# --- Clean history -------------------------------------------------------------------------


def test_admin_text_is_stored_with_newlines_and_a_no_op_save_records_nothing(
    client, reviewer, make_article
):
    draft = make_article(
        slug="crlf",
        status=Status.DRAFT,
        body="Line one.\nLine two.",
        publish_at=timezone.now().replace(microsecond=0),  # as the form sends it back
    )
    client.force_login(reviewer)
    revisions = draft.history.count()
    # Browsers send a textarea's text with \r\n.
    client.post(change_url(draft), form_data(draft, body="Line one.\r\nLine two."))
    draft.refresh_from_db()
    assert draft.body == "Line one.\nLine two."
    assert draft.history.count() == revisions
    client.post(change_url(draft), form_data(draft, body="Line one.\r\nLine three."))
    assert draft.history.count() == revisions + 1
    entry = FAQEntry.objects.create(question="Q?", answer="A.\r\nB.")
    assert entry.answer == "A.\nB."
    count = entry.history.count()
    entry.save()
    assert entry.history.count() == count


# --- Trust pages in the admin ----------------------------------------------------------------


def test_page_admin_has_the_markdown_editor_and_saves_rendered_text(admin_client, db):
    page = Page.objects.create(title="Privacy", slug="privacy", summary="s", body="Old.")
    url = reverse("admin:clinic_page_change", args=[page.pk])
    html = admin_client.get(url).content.decode()
    assert (
        'class="markdownx"' in html
        and 'data-markdownx-urls-path="/editor/markdownify/?model=clinic.page"' in html
    )
    assert "Formatting help" in html and "editor/editor.js" in html
    data = {"title": "Privacy", "slug": "privacy", "summary": "s", "body": "## Kept\r\n\r\nNew."}
    assert admin_client.post(url, data).status_code == 302
    page.refresh_from_db()
    assert page.body == "## Kept\n\nNew." and '<h2 id="kept">Kept</h2>' in page.body_html


def test_editor_endpoints_serve_page_editors_too(client, db):
    from tests.staff import staff_with_permissions

    client.force_login(staff_with_permissions("pages", "change_page"))
    response = client.post(
        settings.MARKDOWNX_URLS_PATH + "?model=clinic.page", {"content": "## Hi"}
    )
    assert response.status_code == 200 and "<h2" in response.content.decode()


def test_preview_stylesheet_is_the_sites_own_for_the_preview_box(client, editor):
    client.force_login(editor)
    css = client.get("/editor/preview.css")
    text = css.content.decode()
    assert css.status_code == 200 and css["Content-Type"].startswith("text/css")
    assert ":host {" in text and ".prose" in text and "\n:root" not in text
    client.logout()
    assert client.get("/editor/preview.css").status_code == 403


def test_export_writes_pages_back_and_import_export_import_changes_nothing(db, tmp_path):
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "pages" / "privacy.md").write_text(
        "---\ntitle: Privacy notice\nslug: privacy\nsummary: How we use data.\n---\n\nWe keep "
        "{retention_days} days.\n",
        encoding="utf-8",
    )
    call_command("import_content", "--dir", str(content), stdout=StringIO())
    page = Page.objects.get(slug="privacy")
    page.body = "We keep {retention_days} days.\n\nEdited in the admin."
    page.save()
    call_command("export_content", "--dir", str(content), stdout=StringIO())
    written = (content / "pages" / "privacy.md").read_text(encoding="utf-8")
    assert "Edited in the admin." in written and "{retention_days}" in written
    out = StringIO()
    call_command("import_content", "--dir", str(content), stdout=out)
    assert "Nothing to change" in out.getvalue()


def test_faq_history_reads_in_plain_words(client, reviewer, make_faq):
    entry = make_faq(question="Can I drive home?", answer="No.")
    client.force_login(reviewer)
    url = reverse("admin:articles_faqentry_change", args=[entry.pk])
    client.post(
        url, {"question": entry.question, "answer": "No. Someone drives you.", "order": 100}
    )
    html = client.get(reverse("admin:articles_faqentry_history", args=[entry.pk])).content.decode()
    table = html.split('id="change-history"')[1]
    assert '<td data-label="Saved by">Dr Grace Reviewer</td>' in table
    assert '<td data-label="What changed">Answer</td>' in table
    assert "None" not in table and "Status" not in table
