"""The triage tests' data: the real symptoms, a profile with an after-hours line, a
clinical reviewer signed in."""

import pytest

from articles.content_files import parse_triage
from articles.models import TriageSymptom, fingerprint
from clinic.models import ClinicProfile
from tests.staff import staff_in_group
from tests.triage.cards import AFTER_HOURS, TRIAGE_FILE


@pytest.fixture
def symptoms(db):
    """The real triage data, as import_content loads it."""
    for order, state in enumerate(parse_triage(TRIAGE_FILE), start=1):
        TriageSymptom.objects.create(order=order, source_hash=fingerprint(state), **state)
    return {s.key: s for s in TriageSymptom.objects.all()}


@pytest.fixture
def profile(db):
    profile = ClinicProfile.load()
    profile.after_hours_phone = AFTER_HOURS
    profile.after_hours_note = "a nurse answers at night and at weekends"
    profile.save()
    return profile


@pytest.fixture
def reviewer_client(client, db):
    client.force_login(staff_in_group("reviewer", "Clinical reviewer"))
    return client
