"""Content insights: page views, searches and "Was this page helpful?", counted without
cookies or addresses; the /admin/insights/ page; retention; nothing private in logs."""

import datetime
import io
import logging
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from inquiries.models import Inquiry
from insights.counting import looks_like_contact_details, normalize_query, without_contact_details
from insights.models import FeedbackComment, FeedbackDay, PageViewDay, SearchDay
from tests.staff import staff_with_permissions

from .wsgi_client import WsgiClient

ARTICLE = "/articles/how-ketamine-works/"
SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"}
FEEDBACK = "/feedback/"
BEACON = "/insights/view/"
INSIGHTS = "/admin/insights/"


@pytest.fixture
def site(db, settings):
    settings.REQUIRE_MEDICAL_REVIEW = False  # the demo content, as scripts/run serves it
    call_command("import_content", stdout=StringIO())


def views_of(path: str) -> int:
    return sum(PageViewDay.objects.filter(path=path).values_list("views", flat=True))


def answers_of(path: str) -> tuple[int, int]:
    rows = FeedbackDay.objects.filter(path=path)
    return sum(r.yes for r in rows), sum(r.no for r in rows)


# --- Page views -----------------------------------------------------------------------------


def beacon(client, path: str, **headers):
    return client.generic("POST", BEACON, path, content_type="text/plain", **headers)


def test_a_page_view_is_counted_once_per_beacon_per_day(client, site):
    for number in range(3):  # three readers (one reader's repeats: test_insights_bounds.py)
        response = beacon(client, ARTICLE, REMOTE_ADDR=f"203.0.113.{number + 1}", **SAME_ORIGIN)
        assert response.status_code == 204
        assert "no-store" in response["Cache-Control"]
        assert not response.cookies
    beacon(client, "/faq/", **SAME_ORIGIN)
    assert views_of(ARTICLE) == 3 and views_of("/faq/") == 1
    row = PageViewDay.objects.get(path=ARTICLE)
    assert row.day == timezone.localdate()


@pytest.mark.parametrize(
    "headers",
    [
        {},  # neither header: a script, not a browser on our page
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_SEC_FETCH_SITE": "none"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "https://evil.example"},
    ],
)
def test_posts_from_other_sites_are_refused_and_not_counted(client, site, headers):
    assert beacon(client, ARTICLE, **headers).status_code == 403
    data = {"page": ARTICLE, "helpful": "yes"}
    assert client.post(FEEDBACK, data, **headers).status_code == 403
    assert views_of(ARTICLE) == 0 and answers_of(ARTICLE) == (0, 0)


def test_an_older_browser_without_sec_fetch_site_is_accepted_by_its_origin(client, site):
    assert beacon(client, ARTICLE, HTTP_ORIGIN="http://testserver").status_code == 204
    assert views_of(ARTICLE) == 1


@pytest.mark.parametrize(
    "path", ["/search/", "/articles/no-such-article/", "/admin/", "x" * 300, ""]
)
def test_only_real_public_pages_are_counted(client, site, path):
    assert beacon(client, path, **SAME_ORIGIN).status_code == 204
    assert not PageViewDay.objects.exists()


def test_a_draft_is_not_counted(client, site):
    beacon(client, ARTICLE, **SAME_ORIGIN)
    article = Article.objects.get(slug="how-ketamine-works")
    article.status = "draft"
    article.save()  # a new content version: the list of countable pages is read again
    beacon(client, ARTICLE, **SAME_ORIGIN)
    assert views_of(ARTICLE) == 1


def test_every_public_page_loads_the_counting_script_with_no_cookie_and_from_this_site(
    client, site
):
    for path in ["/", "/articles/", ARTICLE, "/faq/", "/privacy/", "/contact/"]:
        html = client.get(path).content.decode()
        scripts = re.findall(r"<script\b[^>]*\bsrc=\"([^\"]+)\"", html)
        assert any(src.startswith("/static/js/insights.js") for src in scripts), path
        assert all(src.startswith("/static/") for src in scripts), path
        assert f'data-count-url="{BEACON}"' in html


def test_the_counting_script_sends_only_the_page_address():
    from django.conf import settings

    script = (settings.BASE_DIR / "static" / "js" / "insights.js").read_text()
    assert re.search(r'fetch\(countUrl, \{\s*method: "POST",\s*body: location.pathname,\s*'
                     r'credentials: "omit"', script)  # fmt: skip
    for forbidden in (
        "document.cookie",
        "localStorage",
        "sessionStorage",
        "userAgent",
        "http://",
        "https://",
    ):
        assert forbidden not in script


# --- Searches ------------------------------------------------------------------------------


def test_searches_are_counted_at_once_found_and_not_found(client, site):
    client.get("/search/", {"q": "Nasal   SPRAY"})
    client.get("/search/", {"q": "nasal spray"})
    client.get("/search/", {"q": "zzqx unicorn therapy"})
    client.get("/search/", {"q": "zzqx unicorn therapy"})
    found = SearchDay.objects.get(query="nasal spray")
    assert found.found is True and found.count == 2
    missing = SearchDay.objects.get(query="zzqx unicorn therapy")
    assert missing.found is False and missing.count == 2
    assert found.day == timezone.localdate()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's commit setting")
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_count_does_not_wait_for_the_disk_but_nothing_else_changes():
    from insights.counting import record_search

    record_search(query="nasal spray", result_count=2)  # once: with the other searches
    record_search(query="nasal spray", result_count=2)  # twice: kept by its text from now
    with CaptureQueriesContext(connection) as counted:
        record_search(query="nasal spray", result_count=2)
        record_search(query="nasal spray", result_count=2)
    assert all("synchronous_commit" in query["sql"] for query in counted.captured_queries)
    assert SearchDay.objects.get(query="nasal spray").count == 4
    with connection.cursor() as cursor:  # only the count's own transaction was changed
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
    with transaction.atomic(), CaptureQueriesContext(connection) as inside:
        record_search(query="nasal spray", result_count=2)  # part of a larger transaction
    assert "synchronous_commit" not in inside.captured_queries[-1]["sql"]
    assert SearchDay.objects.get(query="nasal spray").count == 5


@pytest.mark.parametrize(
    "query",
    ["dana@example.com", "me at dana@example", "(201) 555-0199", "201-555-0199", "+1 201 555 0199",
     "call 2015550199 please"],
)  # fmt: skip
def test_searches_that_look_like_contact_details_are_not_stored(client, site, query):
    client.get("/search/", {"q": query})
    assert not SearchDay.objects.exists()


def test_control_characters_are_never_stored(client, site):
    """PostgreSQL refuses NUL in text: a search or comment with one is stored without it."""
    client.get("/search/", {"q": "side\x00effects"})
    client.get("/search/", {"q": "side\x00effects"})  # kept by its text from the second time
    assert "\x00" not in SearchDay.objects.exclude(query="").get().query
    client.post(
        FEEDBACK, {"page": ARTICLE, "helpful": "no", "comment": "bad\x00text\x07"}, **SAME_ORIGIN
    )
    assert FeedbackComment.objects.get().text == "bad text"


def test_query_normalisation():
    assert normalize_query('  "Side   Effects?" ') == "side effects"
    assert len(normalize_query("a" * 500)) == 100
    assert not looks_like_contact_details("988 crisis line")
    assert not looks_like_contact_details("ketamine 2026")
    assert looks_like_contact_details("555 0199 201")


# --- Was this page helpful? ---------------------------------------------------------------


def test_the_widget_follows_every_article_and_the_faq_without_a_csrf_token(client, site):
    for path in [ARTICLE, "/faq/"]:
        html = client.get(path).content.decode()
        assert "Was this page helpful?" in html
        assert re.search(r'<button[^>]*name="helpful" value="yes"[^>]*>Yes</button>', html)
        assert re.search(r'<button[^>]*name="helpful" value="no"[^>]*>No</button>', html)
        assert "What was missing or unclear?" in html
        assert "Please do not include personal or medical details" in html
        assert f'<input type="hidden" name="page" value="{path}">' in html
        assert "csrfmiddlewaretoken" not in html
    article_html = client.get(ARTICLE).content.decode()
    # After the article's text, before the call to action.
    assert article_html.index("</article>") < article_html.index("Was this page helpful?")
    assert "Was this page helpful?" not in client.get("/").content.decode()


def test_an_answer_without_javascript_redirects_to_thanks_then_takes_a_comment(client, site):
    response = client.post(FEEDBACK, {"page": ARTICLE, "helpful": "no"}, **SAME_ORIGIN)
    assert response.status_code == 302
    assert not response.cookies
    thanks = client.get(response["Location"])
    html = thanks.content.decode()
    assert "Thank you for your answer." in html
    assert "What was missing or unclear?" in html and 'name="comment"' in html
    assert "no-store" in thanks["Cache-Control"]

    response = client.post(
        FEEDBACK,
        {"page": ARTICLE, "helpful": "no", "comment": "Say more about costs. Mail me at a@b.com"},
        **SAME_ORIGIN,
    )
    assert response.status_code == 302
    assert "Your comment helps us" in client.get(response["Location"]).content.decode()
    assert answers_of(ARTICLE) == (0, 1)  # the comment did not count the answer twice
    comment = FeedbackComment.objects.get()
    assert comment.text == "Say more about costs. Mail me at [e-mail removed]"
    assert comment.helpful is False and comment.path == ARTICLE
    assert comment.day == timezone.localdate()


def test_an_answer_with_javascript_gets_json(client, site):
    response = client.post(
        FEEDBACK, {"page": "/faq/", "helpful": "yes"}, HTTP_ACCEPT="application/json", **SAME_ORIGIN
    )
    assert response.status_code == 200
    assert response.json() == {"outcome": "answered", "message": "Thank you for your answer."}
    assert answers_of("/faq/") == (1, 0)


@pytest.mark.parametrize(
    "text,kept",
    [
        (
            "Call me on (201) 555-0199 or 201.555.0142",
            "Call me on [phone removed] or [phone removed]",
        ),
        ("my email: Dana.Q+x@example.co.uk thanks", "my email: [e-mail removed] thanks"),
        ("Dose was 0.5 mg/kg over 40 minutes", "Dose was 0.5 mg/kg over 40 minutes"),
        ("+44 20 7946 0958", "[phone removed]"),
    ],
)
def test_contact_details_are_removed_from_comments(text, kept):
    assert without_contact_details(text) == kept


def test_nothing_identifying_is_stored():
    """No field could hold an address, user agent, cookie, account or time of day."""
    for model in (PageViewDay, SearchDay, FeedbackDay, FeedbackComment):
        names = {field.name for field in model._meta.get_fields()}
        assert names <= {"id", "day", "path", "views", "query", "found", "count", "yes", "no",
                         "helpful", "text"}, model  # fmt: skip


@pytest.mark.parametrize(
    "data,message",
    [
        ({"page": "/articles/not-real/", "helpful": "yes"}, "could not save"),
        ({"page": ARTICLE, "helpful": "maybe"}, "could not save"),
        ({"page": ARTICLE, "helpful": "no", "comment": "x" * 301}, "300 characters or fewer"),
    ],
)
def test_bad_posts_get_a_polite_page_and_store_nothing(client, site, data, message):
    response = client.post(FEEDBACK, data, **SAME_ORIGIN)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FeedbackDay.objects.exists() and not FeedbackComment.objects.exists()


@override_settings(FEEDBACK_RATE_LIMIT=(3, 3600))
def test_feedback_is_rate_limited_per_client(client, site):
    for _ in range(3):
        assert (
            client.post(FEEDBACK, {"page": ARTICLE, "helpful": "yes"}, **SAME_ORIGIN).status_code
            == 302
        )
    over = client.post(
        FEEDBACK, {"page": ARTICLE, "helpful": "yes"}, HTTP_ACCEPT="application/json", **SAME_ORIGIN
    )
    assert over.status_code == 429
    assert "Please try again later" in over.json()["message"]
    assert answers_of(ARTICLE) == (3, 0)
    # Another client is not affected.
    other = client.post(
        FEEDBACK, {"page": ARTICLE, "helpful": "no"}, REMOTE_ADDR="10.1.2.3", **SAME_ORIGIN
    )
    assert other.status_code == 302
    from insights.models import FeedbackRateLimitHit

    assert all("10.1.2.3" not in hit.client_key for hit in FeedbackRateLimitHit.objects.all())


def wsgi_post(path: str, body: bytes, content_type: str, **headers: str):
    """POST through the real WSGI application (page cache in front), as gunicorn would."""
    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": path, "QUERY_STRING": "", "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver", "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body), "wsgi.errors": io.StringIO(), "wsgi.multithread": False,
        "wsgi.multiprocess": True, "wsgi.run_once": False, "wsgi.version": (1, 0),
        "CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(len(body)),
    }  # fmt: skip
    environ.update({"HTTP_" + name.upper(): value for name, value in headers.items()})
    # As WsgiClient.get(), which leaves the test's database connection alone.
    return WsgiClient()._call(environ).status_code


def test_the_widget_works_on_a_page_served_from_the_page_cache(site):
    """The article is answered by the page cache (no query), and its form still works."""
    visitor = WsgiClient()
    visitor.get(ARTICLE)
    with CaptureQueriesContext(connection) as queries:
        cached = visitor.get(ARTICLE)
    assert len(queries) == 0, "the second visit came from the page cache"
    html = cached.text()
    action = re.search(r'<form class="page-feedback-answer" method="post" action="([^"]+)"', html)
    page = re.search(r'<input type="hidden" name="page" value="([^"]+)">', html).group(1)
    body = f"page={page}&helpful=yes".encode()
    form = "application/x-www-form-urlencoded"
    status = wsgi_post(action.group(1), body, form, sec_fetch_site="same-origin")
    assert status == 302
    assert wsgi_post(BEACON, page.encode(), "text/plain", sec_fetch_site="same-origin") == 204
    assert wsgi_post(action.group(1), body, form, sec_fetch_site="cross-site") == 403
    assert answers_of(ARTICLE) == (1, 0) and views_of(ARTICLE) == 1


# --- Logs --------------------------------------------------------------------------------------


def test_search_words_and_comments_never_reach_a_log_line(client, site, caplog):
    caplog.set_level(logging.DEBUG)
    client.get("/search/", {"q": "secretword"})
    client.post(
        FEEDBACK, {"page": ARTICLE, "helpful": "no", "comment": "hiddenremark"}, **SAME_ORIGIN
    )
    client.post(FEEDBACK, {"page": ARTICLE, "helpful": "no", "comment": "hiddenremark"})  # 403
    client.post(FEEDBACK, {"page": ARTICLE, "helpful": "no", "comment": "y" * 400}, **SAME_ORIGIN)
    for record in caplog.records:
        text = record.getMessage() + repr(getattr(record, "args", ""))
        assert "secretword" not in text and "hiddenremark" not in text
        assert "yyyyyyyy" not in text


# --- Retention ---------------------------------------------------------------------------------


@override_settings(INSIGHTS_RETENTION_DAYS=30)
def test_purge_deletes_old_comments_and_search_texts_and_keeps_counts(db):
    today = timezone.localdate()
    old, recent = today - datetime.timedelta(days=31), today - datetime.timedelta(days=29)
    for day in (old, recent):
        SearchDay.objects.create(day=day, query=f"q {day}", found=False, count=1)
        FeedbackComment.objects.create(day=day, path=ARTICLE, helpful=False, text=f"c {day}")
        PageViewDay.objects.create(day=day, path=ARTICLE, views=5)
        FeedbackDay.objects.create(day=day, path=ARTICLE, yes=1, no=2)
    out = StringIO()
    call_command("purge_insights", "--dry-run", stdout=out)
    assert "Would delete 1 comments and 1 daily search counts older than 30 days." in out.getvalue()
    assert SearchDay.objects.count() == 2
    out = StringIO()
    call_command("purge_insights", stdout=out)
    assert "Deleted 1 comments and 1 daily search counts older than 30 days." in out.getvalue()
    assert list(SearchDay.objects.values_list("day", flat=True)) == [recent]
    assert list(FeedbackComment.objects.values_list("day", flat=True)) == [recent]
    assert PageViewDay.objects.count() == 2 and FeedbackDay.objects.count() == 2


@override_settings(INSIGHTS_RETENTION_DAYS=90, INQUIRY_RETENTION_DAYS=200)
def test_the_privacy_notice_states_what_is_counted_and_for_how_long(client, site):
    html = client.get("/privacy/").content.decode()
    assert "What the site counts" in html
    assert "deleted 90 days after" in html
    assert "200 days" in html
    assert "{insights_retention_days}" not in html and "{retention_days}" not in html


# --- The insights page ------------------------------------------------------------------------


@pytest.fixture
def numbers(site):
    today = timezone.localdate()
    for n in range(5):
        PageViewDay.objects.create(
            day=today - datetime.timedelta(days=n), path=ARTICLE, views=n + 1
        )
    PageViewDay.objects.create(day=today - datetime.timedelta(days=40), path="/faq/", views=99)
    SearchDay.objects.create(day=today, query="microdosing at home", found=False, count=7)
    SearchDay.objects.create(day=today, query="nasal spray", found=True, count=4)
    FeedbackDay.objects.create(day=today, path=ARTICLE, yes=3, no=1)
    FeedbackComment.objects.create(day=today, path=ARTICLE, helpful=False, text="More on costs")
    Inquiry.objects.create(name="A", email="a@example.com", preferred_contact="email",
                           topic="costs", message="m", source_page=ARTICLE)  # fmt: skip


def test_the_insights_page_needs_the_view_insights_permission(client, numbers):
    assert client.get(INSIGHTS).status_code == 302  # to the sign-in page
    client.force_login(staff_with_permissions("editor", "change_article"))
    assert client.get(INSIGHTS).status_code == 403
    assert "Content insights" not in client.get("/admin/").content.decode()
    client.force_login(staff_with_permissions("manager", "view_insights"))
    assert client.get(INSIGHTS).status_code == 200
    assert 'href="/admin/insights/"' in client.get("/admin/").content.decode()


def test_the_insights_page_answers_what_patients_read_and_cannot_find(client, numbers):
    client.force_login(staff_with_permissions("manager", "view_insights"))
    html = client.get(INSIGHTS).content.decode()
    today = timezone.localdate()
    start = today - datetime.timedelta(days=29)
    assert f"{start:%B} {start.day}, {start.year}" in html  # the last 30 days by default
    assert "(30 days)" in html
    assert re.search(r"How ketamine works</a></th>\s*<td class=\"number\">15</td>", html)
    # The FAQ's views were 40 days ago: outside the period.
    assert not re.search(r"Questions and answers</a></th>\s*<td class=\"number\">", html)
    gaps = html[html.index("What patients cannot find") :]
    assert re.search(r"microdosing at home</th><td class=\"number\">7</td>", gaps)
    assert "nasal spray" in html[html.index("Searches that found something") :]
    helpful = html[html.index('id="helpful-heading"') :]
    assert re.search(
        r"<td class=\"number\">3</td>\s*<td class=\"number\">1</td>\s*<td class=\"number\">75%</td>",
        helpful,
    )
    assert "More on costs" in helpful
    sources = html[html.index('id="sources-heading"') :]
    assert re.search(r"How ketamine works</th><td class=\"number\">1</td>", sources)
    assert "Medical review of each article" in html and "Not reviewed yet" in html


def test_a_chosen_period_and_a_bad_one(client, numbers):
    client.force_login(staff_with_permissions("manager", "view_insights"))
    today = timezone.localdate()
    start = today - datetime.timedelta(days=45)
    html = client.get(
        INSIGHTS, {"start": start.isoformat(), "end": today.isoformat()}
    ).content.decode()
    assert "(46 days)" in html
    assert re.search(r"Questions and answers</a></th>\s*<td class=\"number\">99</td>", html)
    html = client.get(INSIGHTS, {"start": "yesterday", "end": today.isoformat()}).content.decode()
    assert "Please enter the first day as a date, like 2026-01-31." in html
    html = client.get(
        INSIGHTS, {"start": today.isoformat(), "end": start.isoformat()}
    ).content.decode()
    assert "Please choose a last day on or after the first day." in html


def test_the_charts_are_inline_svg_with_no_external_request(client, numbers):
    client.force_login(staff_with_permissions("manager", "view_insights"))
    html = client.get(INSIGHTS).content.decode()
    charts = re.findall(r'<svg class="insights-chart".*?</svg>', html, re.S)
    assert len(charts) >= 2
    for chart in charts:
        assert 'role="img"' in chart and "<title>" in chart
        assert not re.search(r"(href|src)=", chart)
        assert "<script" not in chart
    article_chart = next(c for c in charts if "How ketamine works" in c)
    assert article_chart.count("<rect") == 30  # one bar per day
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not url.startswith(("http://", "https://", "//")), url
