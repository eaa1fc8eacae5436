"""Reading level in Spanish (issue 28 item 6): content_report shows each Spanish article's
Szigriszt-Pazos score on the INFLESZ scale, flags one under 55, and the Spanish measure
reads Spanish rules without changing the English grades. (Each Spanish file's own score
is checked in tests/test_spanish_content_files.py, by the same function.)"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import ArticleTranslation
from articles.readability import (
    MIN_INFLESZ,
    inflesz_band,
    reading_stats,
    spanish_plain_text,
    spanish_reading_stats,
)

# Long sentences of long words: "muy difícil" on any Spanish measure.
HARD_SPANISH = (
    "La farmacocinética interindividualmente heterogénea de la esketamina administrada "
    "intranasalmente condiciona considerablemente la biodisponibilidad sistémica "
    "correspondiente, independientemente de las características antropométricas "
    "preexistentes y de la coadministración simultánea de medicamentos antihipertensivos.\n"
)
CARD = '!!! when-to-get-help "Busque ayuda si nota:"\n    - slow-breathing\n    - chest-pain\n'


def report(*args: str) -> str:
    out = StringIO()
    call_command("content_report", *args, stdout=out)
    return out.getvalue()


def spanish_lines(output: str) -> dict[str, str]:
    table = output.split("Spanish (/es/articles/)", 1)[1]
    return {line.split()[0]: line for line in table.splitlines()[2:] if line.strip()}


@pytest.fixture
def imported(db, settings):
    settings.REQUIRE_MEDICAL_REVIEW = False  # the demo content, as scripts/run serves it
    call_command("import_content", stdout=StringIO())
    return list(ArticleTranslation.objects.select_related("article"))


def test_the_report_shows_each_spanish_article_at_inflesz_55_or_more(imported):
    lines = spanish_lines(report())
    assert len(imported) >= 5
    for translation in imported:
        line = lines[translation.article.slug]
        score = float(line.split()[2])
        assert score >= MIN_INFLESZ, line
        assert any(band in line for band in ("normal", "bastante fácil", "muy fácil")), line
        assert f"INFLESZ under {MIN_INFLESZ}" not in line


def test_a_hard_spanish_article_is_flagged_and_fails_strict(imported):
    translation = imported[0]
    translation.body = HARD_SPANISH
    translation.save()
    output = report()
    line = spanish_lines(output)[translation.article.slug]
    assert float(line.split()[2]) < 40
    assert "muy difícil" in line
    assert f"INFLESZ under {MIN_INFLESZ}" in line
    with pytest.raises(CommandError, match="need attention"):
        report("--strict")


@pytest.mark.parametrize(
    "score, band",
    [
        (39.9, "very difficult (muy difícil)"),
        (40, "somewhat difficult (algo difícil)"),
        (54.9, "somewhat difficult (algo difícil)"),
        (55, "normal"),
        (64.9, "normal"),
        (65, "quite easy (bastante fácil)"),
        (80, "very easy (muy fácil)"),
    ],
)
def test_inflesz_bands(score, band):
    assert inflesz_band(score) == band


def test_spanish_syllables_are_counted_by_spanish_rules():
    # Szigriszt-Pazos = 206.835 - 62.3 * syllables/words - words/sentences. "Mañana
    # llueve." is 3 + 2 syllables in Spanish; English rules (CMUdict, English hyphenation)
    # count differently, so only Spanish rules give 206.835 - 62.3 * 5/2 - 2 = 49.1.
    assert spanish_reading_stats("Mañana llueve.", {}).inflesz == 49.1


def test_the_spanish_measure_leaves_the_english_grade_as_it_was(db):
    english = "Ketamine can make you feel dizzy. Rest until it passes and drink water."
    before = reading_stats(english).grade
    spanish_reading_stats(HARD_SPANISH, {})
    assert reading_stats(english).grade == before


def test_a_care_card_is_read_as_its_symptoms_spanish_wording():
    symptoms = {"slow-breathing": "Respiración lenta", "chest-pain": "Dolor en el pecho"}
    text = spanish_plain_text(f"Antes de la tarjeta.\n\n{CARD}", symptoms)
    assert text.splitlines() == ["Antes de la tarjeta.", "Respiración lenta.", "Dolor en el pecho."]
