"""The language an inquiry was sent in, for the front desk (issue 28): in the admin list,
on the inquiry, as a filter and in the export; inquiries stored before it count as English,
with nothing else changed."""

import csv
import io

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from inquiries.models import Inquiry
from tests.staff import staff_in_group

CHANGELIST = "/admin/inquiries/inquiry/"
BEFORE = [("inquiries", "0005_inquiry_over_rate_limit")]


@pytest.fixture
def front_desk(db) -> Client:
    client = Client()
    client.force_login(staff_in_group("frontdesk", "Front desk"))
    return client


def make_inquiry(name: str, language: str) -> Inquiry:
    return Inquiry.objects.create(
        name=name,
        email="someone@example.org",
        preferred_contact=Inquiry.PreferredContact.EMAIL,
        topic=Inquiry.Topic.COSTS,
        message="¿Cuánto cuesta?",
        consent=True,
        language=language,
    )


def row_of(page: str, name: str) -> str:
    start = page.index(name)
    return page[page.rindex("<tr", 0, start) : page.index("</tr>", start)]


def test_the_list_shows_the_language_and_filters_by_it(front_desk):
    make_inquiry("Lucía Ortega", Inquiry.Language.SPANISH)
    make_inquiry("Robin Tessaly", Inquiry.Language.ENGLISH)
    page = front_desk.get(CHANGELIST).content.decode()
    assert "Spanish (español)" in row_of(page, "Lucía Ortega")
    assert "English" in row_of(page, "Robin Tessaly")
    assert "?language__exact=es" in page  # the filter's link
    spanish_only = front_desk.get(CHANGELIST, {"language__exact": "es"}).content.decode()
    assert "Lucía Ortega" in spanish_only and "Robin Tessaly" not in spanish_only


def test_the_inquiry_shows_its_language_read_only(front_desk):
    inquiry = make_inquiry("Lucía Ortega", Inquiry.Language.SPANISH)
    page = front_desk.get(f"{CHANGELIST}{inquiry.pk}/change/").content.decode()
    assert "Spanish (español)" in page and 'name="language"' not in page
    front_desk.post(f"{CHANGELIST}{inquiry.pk}/change/", {"status": "new", "language": "en"})
    inquiry.refresh_from_db()
    assert inquiry.language == Inquiry.Language.SPANISH


def test_the_export_has_the_language(front_desk):
    inquiry = make_inquiry("Lucía Ortega", Inquiry.Language.SPANISH)
    response = front_desk.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [inquiry.pk]}
    )
    header, row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert row[header.index("language")] == "Spanish (español)"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_inquiries_stored_before_the_language_field_are_english_and_keep_everything():
    old = migrate(BEFORE)
    OldInquiry = old.get_model("inquiries", "Inquiry")
    before = OldInquiry.objects.create(
        name="Dana Quimby", email="dana@example.com", phone="2015550199",
        preferred_contact="phone", topic="costs", message="Costs?", consent=True,
        urgent=True, staff_notes="Called Tuesday.", source_page="/faq/",
    )  # fmt: skip
    kept = OldInquiry.objects.filter(pk=before.pk).values().get()

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    after = Inquiry.objects.filter(pk=before.pk).values().get()
    assert after.pop("language") == Inquiry.Language.ENGLISH
    assert after == kept
