"""The generic per-client limit (foundation/rate_limit.py) with each app's own table."""

from datetime import UTC, datetime, timedelta

import pytest

from foundation.rate_limit import client_key, record_hit
from inquiries.models import RateLimitHit
from insights.models import FeedbackRateLimitHit

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 1, 5, 12, 0, 30, tzinfo=UTC)


def test_hits_are_counted_per_client_and_window():
    key = client_key("10.0.0.1", "test-salt")
    assert [record_hit(key, 60, model=RateLimitHit, now=NOON) for _ in range(3)] == [1, 2, 3]
    assert record_hit(client_key("10.0.0.2", "test-salt"), 60, model=RateLimitHit, now=NOON) == 1
    next_minute = NOON + timedelta(seconds=60)
    assert record_hit(key, 60, model=RateLimitHit, now=next_minute) == 1


def test_the_key_hides_the_address_and_depends_on_the_salt():
    assert "10.0.0.1" not in client_key("10.0.0.1", "a")
    assert client_key("10.0.0.1", "a") != client_key("10.0.0.1", "b")


def test_one_limits_pruning_leaves_the_others_windows():
    key = client_key("10.0.0.1", "test-salt")
    record_hit(key, 60, model=RateLimitHit, now=NOON)
    record_hit(key, 60, model=FeedbackRateLimitHit, now=NOON)
    # A new window two periods later prunes the ended windows of its own table only.
    record_hit(key, 60, model=RateLimitHit, now=NOON + timedelta(seconds=180))

    assert RateLimitHit.objects.count() == 1
    assert FeedbackRateLimitHit.objects.count() == 1
