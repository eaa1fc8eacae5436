"""The clinic profile's own words on the Spanish pages (issue 28): its tagline, opening
hours and after-hours note in Spanish where staff wrote them, else the English ones
marked lang="en" (never English passed off as Spanish); English pages keep the English."""

import re

import pytest

from clinic.models import ClinicProfile
from tests.spanish_records import translate_everything

NOTE_ES = "una enfermera contesta de noche y los fines de semana"
NOTE_EN = "a nurse answers at night and at weekends"


@pytest.fixture
def profile(db, make_faq, settings):
    """The demo profile, its Spanish words as the migration gives them, and a Spanish
    "When to get help" (whose cards carry the after-hours note)."""
    settings.REQUIRE_MEDICAL_REVIEW = False
    translate_everything(make_faq, reviewed=False)
    profile = ClinicProfile.load()
    profile.after_hours_phone = "(201) 555-0199"
    profile.after_hours_note = NOTE_EN
    profile.save()
    return profile


def test_the_migration_gives_the_demo_profile_its_spanish_words(profile):
    assert profile.after_hours_note_es == NOTE_ES
    assert profile.hours_es.startswith("Lunes a viernes")
    assert profile.tagline_es.startswith("Una clínica médica")


def test_spanish_pages_show_the_profiles_spanish_words(client, profile):
    home = client.get("/es/").content.decode()
    assert f'<p class="lead">{profile.tagline_es}</p>' in home
    footer = re.search(r'<section aria-labelledby="footer-hours">.*?</section>', home, re.S)
    assert '<ul class="plain-list"><li>Lunes a viernes' in footer.group(0)
    assert f"({NOTE_ES})" in home and NOTE_EN not in home

    help_page = client.get("/es/when-to-get-help/").content.decode()
    cards = re.search(r'<div class="prose help-cards-page">.*', help_page, re.S).group(0)
    assert f"({NOTE_ES})." in cards and NOTE_EN not in help_page

    english = client.get("/when-to-get-help/").content.decode()
    assert f"({NOTE_EN})." in english and NOTE_ES not in english
    assert "Monday to Friday" in english and 'lang="en"' not in english.split("<body")[1]


def test_without_spanish_words_the_english_ones_are_marked_english(client, profile):
    profile.tagline_es = profile.hours_es = profile.after_hours_note_es = ""
    profile.save()  # the cards are rendered again (articles/apps.py)
    home = client.get("/es/").content.decode()
    assert f'<p class="lead" lang="en">{profile.tagline}</p>' in home
    assert '<ul class="plain-list" lang="en"><li>Monday to Friday' in home
    assert f'(<span lang="en">{NOTE_EN}</span>)' in home

    help_page = client.get("/es/when-to-get-help/").content.decode()
    cards = re.search(r'<div class="prose help-cards-page">.*', help_page, re.S).group(0)
    assert f'(<span lang="en">{NOTE_EN}</span>). ' in cards
