"""The clinical-review tests' people and article: an editor, a clinical reviewer with a
clinician entry, a live article Dr Ada Example reviewed."""

import datetime

import pytest

from clinic.models import Clinician
from tests.reviewing import sign_off
from tests.staff import staff_in_group


@pytest.fixture
def editor(db):
    return staff_in_group("editor", "Editor")


@pytest.fixture
def reviewer(db):
    user = staff_in_group("reviewer", "Clinical reviewer")
    user.first_name, user.last_name = "Grace", "Reviewer"
    user.email = "grace@example.com"
    user.save()
    Clinician.objects.create(name="Dr Grace Reviewer", credentials="MD, psychiatrist", user=user)
    return user


@pytest.fixture
def live_article(make_article):
    """A published article whose text Dr Ada Example reviewed on March 1, 2026."""
    ada = Clinician.objects.create(name="Dr Ada Example", credentials="MD")
    article = make_article(
        title="After your treatment",
        slug="after-treatment",
        summary="What to expect in the hours after a session.",
        body="## Rest\n\nRest for the day after treatment.\n\n## Driving\n\nDo not drive.\n",
    )
    return sign_off(article, ada, datetime.date(2026, 3, 1), next_due=datetime.date(2099, 3, 1))
