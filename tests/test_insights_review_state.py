"""/admin/insights/ says what the article's own page says about its review (issue 24)."""

import datetime
import re

from django.utils import timezone

from tests.reviewing import a_clinician, sign_off
from tests.staff import staff_with_permissions

INSIGHTS = "/admin/insights/"
NOT_REVIEWED = "This article has not yet been reviewed by one of our clinicians."


def review_row(html: str, title: str) -> str:
    table = html[html.index('id="reviews-heading"') :]
    row = re.search(
        rf"<tr>\s*<th scope=\"row\"><a [^>]*>{re.escape(title)}</a>.*?</tr>", table, re.S
    )
    assert row, f"no review row for {title!r}"
    return " ".join(re.sub(r"<[^>]+>", " ", row.group(0)).split())


def test_an_article_changed_since_its_review_is_not_reviewed_in_insights_either(
    client, make_article
):
    ada = a_clinician("Dr Ada Example", "MD")
    changed = sign_off(
        make_article(title="Changed since", slug="changed-since"),
        ada,
        datetime.date(2026, 3, 1),
        next_due=datetime.date(2099, 3, 1),
    )
    changed.body += "\nA sentence added after the review.\n"
    changed.save()
    unchanged = sign_off(
        make_article(title="Still reviewed", slug="still-reviewed"),
        ada,
        datetime.date(2026, 3, 1),
        next_due=datetime.date(2099, 3, 1),
    )
    overdue = sign_off(
        make_article(title="Overdue one", slug="overdue-one"),
        ada,
        next_due=timezone.localdate() - datetime.timedelta(days=1),
    )
    make_article(title="Never reviewed", slug="never-reviewed")

    # The article's page: not reviewed.
    page = client.get(changed.get_absolute_url()).content.decode()
    assert NOT_REVIEWED in page and "Medically reviewed" not in page

    client.force_login(staff_with_permissions("manager", "view_insights"))
    html = client.get(INSIGHTS).content.decode()
    row = review_row(html, "Changed since")
    assert "Changed since its review" in row and "⚠" in row
    assert "Mar 1, 2026, Dr Ada Example (of an earlier text)" in row
    assert "Mar 1, 2099" not in row  # no "next review due" for a text nobody reviewed
    assert review_row(html, "Still reviewed") == (
        "Still reviewed Reviewed Mar 1, 2026, Dr Ada Example Mar 1, 2099"
    )
    assert "Review overdue" in review_row(html, "Overdue one")
    assert "Not reviewed yet" in review_row(html, "Never reviewed")
    assert unchanged.review_is_current and overdue.review_state() == "overdue"
