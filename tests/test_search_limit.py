"""The per-address search limit (SEARCH_RATE_LIMIT, issue 26): generous for people, a 429
for scripts, never for a search that suggests a crisis."""

import pytest
from django.test import override_settings

from foundation.search_limit import limit_searches

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def one_moment(monkeypatch):
    """All of a test's searches in one window, wherever the clock is in its minute."""
    import types

    import foundation.search_limit

    frozen = types.SimpleNamespace(time=lambda: 1_800_000_030.0)
    monkeypatch.setattr(foundation.search_limit, "time", frozen)


def search(client, query="ketamine", address="203.0.113.7"):
    return client.get("/search/", {"q": query}, REMOTE_ADDR=address)


def test_on_by_default_sixty_a_minute(settings):
    assert settings.SEARCH_RATE_LIMIT == (60, 60)


def test_a_person_searching_is_never_stopped(client):
    statuses = {search(client, f"question {number}").status_code for number in range(30)}
    assert statuses == {200}


def test_a_script_is_refused_after_the_limit_with_the_sites_page(client):
    statuses = [search(client, f"word{number}").status_code for number in range(200)]
    assert statuses[:60] == [200] * 60
    assert statuses[60:] == [429] * 140
    refused = search(client)
    page = refused.content.decode()
    assert refused.status_code == 429
    assert "Too many searches" in page
    assert 'href="tel:988"' in page  # the crisis notice, as on every page
    assert "no-store" in refused["Cache-Control"] or "no-cache" in refused["Cache-Control"]
    assert 0 < int(refused["Retry-After"]) <= 60


@override_settings(SEARCH_RATE_LIMIT=(3, 60))
def test_each_address_has_its_own_count(client):
    for _ in range(3):
        assert search(client).status_code == 200
    assert search(client).status_code == 429
    assert search(client, address="198.51.100.9").status_code == 200


@override_settings(SEARCH_RATE_LIMIT=(3, 60))
@pytest.mark.parametrize("query", ["I want to kill myself", "overdose", "suicidal thoughts"])
def test_a_crisis_search_is_never_refused(client, query):
    for _ in range(5):
        search(client)
    assert search(client).status_code == 429
    answer = search(client, query)
    assert answer.status_code == 200


@override_settings(SEARCH_RATE_LIMIT=None)
def test_0_turns_it_off(client):
    assert {search(client).status_code for _ in range(80)} == {200}


@override_settings(SEARCH_RATE_LIMIT=(1, 60))
def test_a_view_may_pass_its_own_exemption(rf):
    @limit_searches(exempt=lambda query: query == "help")
    def view(request):
        from django.http import HttpResponse

        return HttpResponse("ok")

    assert view(rf.get("/search/", {"q": "a"})).status_code == 200
    assert view(rf.get("/search/", {"q": "a"})).status_code == 429
    assert view(rf.get("/search/", {"q": "help"})).status_code == 200


def test_the_setting_reads_like_inquiry_rate_limit(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from clinic_site.settings import env_rate

    monkeypatch.setenv("SEARCH_RATE_LIMIT", "0")
    assert env_rate("SEARCH_RATE_LIMIT", "60/m") is None
    monkeypatch.setenv("SEARCH_RATE_LIMIT", "100/m")
    assert env_rate("SEARCH_RATE_LIMIT", "60/m") == (100, 60)
    monkeypatch.setenv("SEARCH_RATE_LIMIT", "lots")
    with pytest.raises(ImproperlyConfigured, match="SEARCH_RATE_LIMIT"):
        env_rate("SEARCH_RATE_LIMIT", "60/m")
