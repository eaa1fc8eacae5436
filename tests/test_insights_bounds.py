"""Insights a script cannot skew or grow without bound (issue 26): page views counted once
per address and page for a while without storing the address, search texts kept only when
repeated and at most a quota a day, and a comment scrubber that sees through spelled-out
e-mail addresses and phone numbers."""

import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from insights import counting
from insights.counting import (
    OTHER_SEARCHES,
    looks_like_contact_details,
    record_search,
    without_contact_details,
)
from insights.models import CrisisSearchDay, PageViewDay, SearchDay
from tests.staff import staff_with_permissions

from .test_insights import ARTICLE, SAME_ORIGIN, beacon, site, views_of  # noqa: F401

# --- Page views ----------------------------------------------------------------------------


def test_300_beacons_from_one_address_count_one_view(client, site):  # noqa: F811
    for _ in range(300):
        assert beacon(client, ARTICLE, REMOTE_ADDR="203.0.113.5", **SAME_ORIGIN).status_code == 204
    assert views_of(ARTICLE) == 1


def test_each_address_and_each_page_count(client, site):  # noqa: F811
    beacon(client, ARTICLE, REMOTE_ADDR="203.0.113.5", **SAME_ORIGIN)
    beacon(client, "/faq/", REMOTE_ADDR="203.0.113.5", **SAME_ORIGIN)
    beacon(client, ARTICLE, REMOTE_ADDR="198.51.100.7", **SAME_ORIGIN)
    assert views_of(ARTICLE) == 2 and views_of("/faq/") == 1


def test_the_address_is_never_stored_and_the_key_expires_soon(client, site):  # noqa: F811
    with mock.patch.object(counting.cache, "add", wraps=cache.add) as add:
        beacon(client, ARTICLE, REMOTE_ADDR="203.0.113.55", **SAME_ORIGIN)
    (key, value), kwargs = add.call_args
    assert "203.0.113" not in key and ARTICLE not in key
    assert value == 1 and kwargs["timeout"] == counting.REPEAT_VIEW_SECONDS <= 60 * 60
    assert not PageViewDay._meta.get_fields() or all(
        field.name in ("id", "day", "path", "views") for field in PageViewDay._meta.get_fields()
    )


def test_the_key_changes_every_day():
    today = counting.daily_key("view", "203.0.113.5", ARTICLE)
    assert counting.daily_key("view", "203.0.113.5", ARTICLE) == today
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with mock.patch.object(counting.timezone, "localdate", return_value=tomorrow):
        assert counting.daily_key("view", "203.0.113.5", ARTICLE) != today


def test_a_reader_coming_back_after_the_window_counts_again(client, site):  # noqa: F811
    beacon(client, ARTICLE, REMOTE_ADDR="203.0.113.5", **SAME_ORIGIN)
    cache.clear()  # what the key's expiry does after REPEAT_VIEW_SECONDS
    beacon(client, ARTICLE, REMOTE_ADDR="203.0.113.5", **SAME_ORIGIN)
    assert views_of(ARTICLE) == 2


# --- Search counts -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_search_made_once_is_counted_without_its_words():
    record_search(query="zzqx garbled words", result_count=0)
    row = SearchDay.objects.get()
    assert row.query == OTHER_SEARCHES and row.count == 1 and row.found is False


@pytest.mark.django_db
def test_from_its_second_time_a_search_is_kept_by_its_text_with_every_count():
    for _ in range(3):
        record_search(query="nasal spray", result_count=2)
    assert SearchDay.objects.get(query="nasal spray").count == 3
    assert SearchDay.objects.get(query=OTHER_SEARCHES).count == 0


@pytest.mark.django_db
def test_700_distinct_searches_add_no_row_and_are_all_counted():
    for number in range(700):
        record_search(query=f"garbled {number} qwzx", result_count=0)
    assert SearchDay.objects.count() == 1
    assert SearchDay.objects.get().count == 700


@pytest.mark.django_db
def test_at_most_the_daily_quota_of_texts_is_kept(monkeypatch):
    monkeypatch.setattr(counting, "SEARCH_TEXTS_PER_DAY", 5)
    for number in range(12):
        for _ in range(2):
            record_search(query=f"repeated search {number}", result_count=1)
    rows = SearchDay.objects.exclude(query=OTHER_SEARCHES)
    assert rows.count() == 5
    total = sum(SearchDay.objects.values_list("count", flat=True))
    assert total == 24  # every search counted, kept by text or with the others


@pytest.mark.django_db
def test_once_the_quota_is_used_up_a_search_costs_one_statement(monkeypatch):
    monkeypatch.setattr(counting, "SEARCH_TEXTS_PER_DAY", 2)
    for number in range(3):
        for _ in range(2):
            record_search(query=f"repeated search {number}", result_count=1)
    with CaptureQueriesContext(connection) as queries:
        record_search(query="repeated search 2", result_count=1)
    assert len(queries) == 1  # the count, without counting the day's kept texts again
    assert SearchDay.objects.exclude(query=OTHER_SEARCHES).count() == 2
    assert sum(SearchDay.objects.values_list("count", flat=True)) == 7


@pytest.mark.django_db
def test_a_search_the_sender_found_to_read_like_a_crisis_is_counted_without_its_words():
    record_search(query="nasal spray", result_count=1, crisis=True)
    assert CrisisSearchDay.objects.get().count == 1 and not SearchDay.objects.exists()


@pytest.mark.django_db
def test_the_insights_page_lists_kept_texts_and_counts_the_others(client):
    for _ in range(2):
        record_search(query="nasal spray", result_count=1)
    record_search(query="zzqx once", result_count=0)
    client.force_login(staff_with_permissions("manager", "view_insights"))
    page = client.get("/admin/insights/").content.decode()
    assert "nasal spray" in page and "zzqx" not in page
    assert "1 of the searches were made only once" in page
    assert "<strong>3</strong> searches" in page


# --- The comment scrubber ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,kept",
    [
        ("write jane.doe at gmail dot com please", "write [e-mail removed] please"),
        ("jane.doe (at) gmail (dot) com", "[e-mail removed]"),
        ("jane(at)gmail.com", "[e-mail removed]"),
        ("jane [at] mail [dot] co [dot] uk thanks", "[e-mail removed] thanks"),
        ("call 555_123_4567", "call [phone removed]"),
        ("five five five one two three four five six seven", "[phone removed]"),
        ("my cell is 555 one two three, 4567 ok", "my cell is [phone removed] ok"),
        # Ordinary sentences stay as they are.
        ("I was at home. Then I slept", "I was at home. Then I slept"),
        ("one or two sprays at 9.30 am", "one or two sprays at 9.30 am"),
        ("Dose was 0.5 mg/kg over 40 minutes", "Dose was 0.5 mg/kg over 40 minutes"),
        ("steps one two three", "steps one two three"),
    ],
)
def test_the_scrubber_catches_spelled_out_contact_details(text, kept):
    assert without_contact_details(text) == kept


@pytest.mark.parametrize(
    "query", ["jane at gmail dot com", "jane(at)gmail.com", "555_123_4567", "five five five 1234"]
)
def test_such_searches_are_not_stored_either(query):
    assert looks_like_contact_details(query)
