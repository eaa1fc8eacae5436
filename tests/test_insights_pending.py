"""Counts held in a worker's memory and written together (insights/pending.py): nothing is
written before the flush, everything after it, each row in one statement adding n."""

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from insights import pending
from insights.counting import OTHER_SEARCHES, count_page_view, record_search
from insights.models import PageViewDay, SearchDay


@pytest.fixture
def held_counts(settings):
    """Counts held for a minute: only `pending.flush()` writes them in the test."""
    settings.INSIGHTS_WRITE_DELAY_MS = 60_000
    yield
    pending.flush()


@pytest.mark.django_db
def test_counts_are_held_then_written_together(held_counts):
    for _ in range(5):
        count_page_view("/faq/")
    count_page_view("/articles/one/")
    assert pending.held() == 6
    assert not PageViewDay.objects.exists()

    with CaptureQueriesContext(connection) as writes:
        pending.flush()
    assert len(writes) == 2  # one statement per row, adding 5 and 1
    assert dict(PageViewDay.objects.values_list("path", "views")) == {
        "/faq/": 5,
        "/articles/one/": 1,
    }
    assert pending.held() == 0


@pytest.mark.django_db
def test_held_counts_add_to_rows_already_written(held_counts):
    count_page_view("/faq/")
    pending.flush()
    count_page_view("/faq/")
    count_page_view("/faq/")
    pending.flush()
    assert PageViewDay.objects.get(path="/faq/").views == 3


@pytest.mark.django_db
def test_a_search_text_kept_from_its_second_time_moves_out_of_other_searches(held_counts):
    """The first time counts under "other searches"; the second gives the text its own row
    with both, and takes one from "other searches": after the counts held with it."""
    record_search(query="nasal spray", result_count=3, answered=True)
    record_search(query="nasal spray", result_count=3, answered=True)
    record_search(query="something else", result_count=0, answered=False)
    assert not SearchDay.objects.exists()
    pending.flush()
    counts = {(row.query, row.found): row.count for row in SearchDay.objects.all()}
    assert counts[("nasal spray", True)] == 2
    assert counts[(OTHER_SEARCHES, True)] == 0
    assert counts[(OTHER_SEARCHES, False)] == 1


@pytest.mark.django_db
def test_with_no_delay_each_count_is_written_in_its_own_request(settings):
    settings.INSIGHTS_WRITE_DELAY_MS = 0
    count_page_view("/faq/")
    assert pending.held() == 0
    assert PageViewDay.objects.get(path="/faq/").views == 1


def test_counts_the_database_refuses_are_kept_for_the_next_try(settings):
    settings.INSIGHTS_WRITE_DELAY_MS = 60_000
    database_up = False
    written = []

    def write(name: str, n: int) -> None:
        if not database_up:
            raise DatabaseError("the database is away")
        written.append((name, n))

    pending.count(write, ("searches",))
    pending.count(write, ("searches",))
    pending.flush()
    assert pending.held() == 2 and written == []  # kept, not dropped

    database_up = True
    pending.flush()
    assert written == [("searches", 2)] and pending.held() == 0
