"""A cost bound on typo correction (issue 26): a long garbled query checks at most a few
words for typos, and none longer than any real word."""

from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import engine as site_search
from search import typos


@pytest.fixture
def site(db, settings):
    settings.REQUIRE_MEDICAL_REVIEW = False
    call_command("import_content", stdout=StringIO())


GARBLED = "qzxv wrtpl mnbvc xkcdq plokm zzqrt vbnmq lkjhg fdsaq trewq yuiop hjklz"


def queries_for(query: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        site_search.search(query)
    return len(queries)


def test_twelve_garbled_words_check_only_the_first_few(site):
    site_search.search("ketamine")  # what every search reads once per worker, read here
    with mock.patch.object(typos, "closest_word", wraps=typos.closest_word) as closest:
        outcome = site_search.search(GARBLED)
    assert outcome.count == 0
    assert closest.call_count <= typos.MAX_WORDS_CORRECTED
    # Twelve words cost the database no more than the first four alone (without the bound,
    # each word added a query or more of its own), on either database.
    first_four = " ".join(GARBLED.split()[:4])
    assert queries_for(GARBLED) <= queries_for(first_four)


def test_words_longer_than_any_real_word_are_not_corrected(site):
    with mock.patch.object(typos, "closest_word", wraps=typos.closest_word) as closest:
        site_search.search("ketamineeeeeeeeeeeeeeeeeeeeeeeeee")
    assert closest.call_count == 0


def test_a_typo_among_the_first_words_is_still_corrected(site):
    outcome = site_search.search("ketamne")
    assert outcome.corrected == "ketamine"
