"""Article translations as records of their own (issue 28 items 2 and 3, articles, staff
side): import_content reads content/es/articles/, each translation knows the English text
it translates and says when that changed, staff see what changed in the English word by
word, a translation has its own review under REQUIRE_MEDICAL_REVIEW, and export gives back
the files byte for byte."""

import datetime
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from articles.models import (
    Article,
    ArticleTranslation,
    PendingChange,
    ReviewState,
    TriageSymptom,
    TriageTranslation,
    rerender_care_cards,
)
from articles.review import translation_may_be_shown

# The fixtures `content` and `imported` come from tests/content_copy.py (shared with the
# other translation tests): a test naming one as an argument is not a redefinition.
# ruff: noqa: F811
from tests.content_copy import content, imported, run_import  # noqa: F401
from tests.reviewing import a_clinician
from tests.staff import staff_in_group

SPANISH_ARTICLES = Path(settings.BASE_DIR) / "content" / "es" / "articles"
TO_UPDATE = "/admin/articles/articletranslation/to-update/"
ADDED = "Drink a glass of water when you get home."
ENGLISH_CHANGED_ON = datetime.date(2026, 12, 4)


def translation_of(slug: str) -> ArticleTranslation:
    return ArticleTranslation.objects.select_related("article").get(article__slug=slug)


def change_english_body(slug: str) -> Article:
    article = Article.objects.get(slug=slug)
    article.body += f"\n\n{ADDED}\n"
    article.text_updated_on = ENGLISH_CHANGED_ON  # as approving a change records it
    article.save()
    return article


def change_form(translation: ArticleTranslation, **changes: str) -> dict:
    data = {
        "article": str(translation.article_id),
        "language": translation.language,
        "title": translation.title,
        "summary": translation.summary,
        "body": translation.body,
        "translator": translation.translator,
        "translated_on": translation.translated_on.isoformat(),
        "next_review_due": "",
        "_save": "Save",
    }
    return data | changes


def change_url(translation: ArticleTranslation) -> str:
    return f"/admin/articles/articletranslation/{translation.pk}/change/"


@pytest.fixture
def reviewer_client(client, db):
    user = staff_in_group("reviewer", "Clinical reviewer")
    a_clinician("Dr Ada Example", "MD", user=user)
    client.force_login(user)
    return client


def test_the_spanish_articles_come_in_translated_not_reviewed_and_up_to_date(imported):
    """Five translations, each with its translator, not reviewed, not stale, rendered by
    the article's renderer, keeping the file's english_sha256."""
    translations = list(ArticleTranslation.objects.select_related("article"))
    assert len(translations) == len(list(SPANISH_ARTICLES.glob("*.md"))) == 5
    for translation in translations:
        assert translation.language == "es"
        assert translation.translator.startswith("Borrador hecho con traducción automática")
        assert translation.reviewer is None and not translation.review_is_current
        assert not translation.is_stale
        assert translation.english_text_translated["body"].strip() == translation.article.body
        # The article's renderer, with Spanish active (its References heading, its links).
        assert translation.body_html == translation.rendered_in_its_language().html
        assert translation.source_file.startswith("content/es/articles/")
        file_text = (imported / "es" / "articles" / Path(translation.source_file).name).read_text()
        assert f"english_sha256: {translation.english_sha256}\n" in file_text
    assert "Nothing to change" in run_import(imported)


def test_import_then_export_gives_back_the_spanish_files_byte_for_byte(imported, tmp_path):
    exported = tmp_path / "exported"
    call_command("export_content", "--dir", str(exported), stdout=StringIO())
    for path in SPANISH_ARTICLES.glob("*.md"):
        assert (exported / "es" / "articles" / path.name).read_bytes() == path.read_bytes()
    assert len(list((exported / "es" / "articles").glob("*.md"))) == 5


def test_a_changed_english_article_lists_its_translation_to_update_with_the_words(
    imported, reviewer_client
):
    """The staff list shows the stale translation with the English changes word by word;
    updating the translation and reviewing it takes it off the list."""
    assert not translation_of("a-treatment-day").is_stale
    change_english_body("a-treatment-day")
    translation = translation_of("a-treatment-day")
    assert translation.is_stale
    assert translation.english_changed_on == ENGLISH_CHANGED_ON

    form = reviewer_client.get(change_url(translation)).content.decode()
    assert 'name="record_review"' in form
    assert "The English changed since this was translated (English updated December 4" in form
    page = reviewer_client.get(TO_UPDATE)
    assert page.status_code == 200
    content = page.content.decode()
    assert translation.title in content
    assert f"<ins>{ADDED}</ins>" in content
    assert "English updated December 4, 2026" in content
    assert translation_of("what-is-ketamine-therapy").title not in content
    listed = reviewer_client.get("/admin/articles/articletranslation/?english=changed")
    assert translation.title in listed.content.decode()

    updated_body = translation.body + "\n\nTome un vaso de agua al llegar a casa.\n"
    response = reviewer_client.post(
        change_url(translation),
        change_form(
            translation, body=updated_body, translates_current_english="on", record_review="on"
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    translation = translation_of("a-treatment-day")
    assert not translation.is_stale and translation.review_is_current
    assert translation.reviewer.name == "Dr Ada Example"
    assert "Tome un vaso de agua" in translation.body_html
    after = reviewer_client.get(TO_UPDATE).content.decode()
    assert "Every translation is up to date with its English text." in after


def test_an_editor_edits_a_translation_but_cannot_record_its_review(imported, client):
    """A posted sign-off or reviewer from someone who may not publish is ignored."""
    client.force_login(staff_in_group("editor", "Editor"))
    clinician = a_clinician()
    translation = translation_of("a-treatment-day")
    form = client.get(change_url(translation)).content.decode()
    assert 'name="body"' in form and 'name="translates_current_english"' in form
    for field in ("record_review", "reviewer", "reviewed_on", "next_review_due"):
        assert f'name="{field}"' not in form
    response = client.post(
        change_url(translation),
        change_form(
            translation,
            title="Un día de tratamiento (editado)",
            record_review="on",
            reviewer=str(clinician.pk),
            reviewed_on="2026-12-01",
        ),
    )
    assert response.status_code == 302
    # Shown to patients (the rule is off here): the edit waits for a clinical reviewer,
    # carrying no review, and the live translation is as it was.
    change = PendingChange.objects.get(status="waiting")
    assert change.values["title"] == "Un día de tratamiento (editado)"
    assert not {"reviewer_id", "reviewed_on", "reviewed_hash"} & set(change.values)
    translation = translation_of("a-treatment-day")
    assert translation.title == "Un día de tratamiento"
    assert translation.reviewer is None and not translation.review_is_current
    assert client.get(TO_UPDATE).status_code == 200


def test_with_the_review_rule_on_only_a_reviewed_translation_may_be_shown(imported, settings):
    translation = translation_of("side-effects-and-safety")
    assert translation.article.is_visible_to_visitors
    settings.REQUIRE_MEDICAL_REVIEW = True
    assert not translation_may_be_shown(translation)
    assert translation.review_state() == ReviewState.NOT_REVIEWED
    translation.record_review(a_clinician())
    translation.save()
    assert translation_may_be_shown(translation)
    assert translation.review_state() == ReviewState.REVIEWED
    translation.body += "\n\nUna frase nueva que nadie revisó.\n"
    translation.save()
    assert not translation_may_be_shown(translation)  # the review covers the text reviewed
    settings.REQUIRE_MEDICAL_REVIEW = False
    assert translation_may_be_shown(translation)


def test_a_spanish_file_naming_no_english_article_is_refused_and_nothing_changes(imported):
    before = {t.pk: (t.title, t.body) for t in ArticleTranslation.objects.all()}
    good = next((imported / "es" / "articles").glob("08-*.md"))
    good.write_text(good.read_text().replace("Un día de tratamiento", "Otro título"))
    bad = imported / "es" / "articles" / "99-articulo-perdido.md"
    bad.write_text(
        good.read_text().replace("slug: a-treatment-day", "slug: no-such-article"),
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as refused:
        run_import(imported)
    message = str(refused.value)
    assert message.startswith("Nothing was imported.")
    assert "99-articulo-perdido.md" in message and "'no-such-article'" in message
    assert "names no English article" in message
    assert {t.pk: (t.title, t.body) for t in ArticleTranslation.objects.all()} == before


def test_a_translation_of_an_older_english_file_comes_in_stale(db, content):
    """The file's english_sha256 names a version of the English file that is no longer
    there: the translation says it needs an update from the start, and import says so."""
    english = content / "articles" / "05-side-effects-and-safety.md"
    english.write_text(english.read_text() + f"\n{ADDED}\n", encoding="utf-8")
    output = run_import(content)
    assert "05-efectos-secundarios-y-seguridad.md" in output
    assert translation_of("side-effects-and-safety").is_stale
    assert not translation_of("a-treatment-day").is_stale


def test_a_reviewed_translation_is_exported_with_its_review_and_imported_back(imported, tmp_path):
    """Export writes the review and keeps english_sha256; importing the export into the
    same database keeps the translation up to date (the English files are rewritten in
    export's layout, the English text is the same) and records the file's review."""
    translation = translation_of("a-treatment-day")
    translation.record_review(a_clinician())
    translation.save()
    exported = tmp_path / "exported"
    call_command("export_content", "--dir", str(exported), stdout=StringIO())
    text = (exported / "es" / "articles" / Path(translation.source_file).name).read_text()
    assert 'reviewer: "Dr Ada Example"' in text
    assert f"english_sha256: {translation.english_sha256}\n" in text
    assert "Nothing to change" in run_import(exported)
    ArticleTranslation.objects.update(reviewer=None, reviewed_on=None, reviewed_hash="")
    run_import(exported, "--force")
    again = translation_of("a-treatment-day")
    assert again.review_is_current and not again.is_stale


def test_a_changed_symptom_shows_in_the_care_cards_of_translations_too(imported):
    """Cards are rendered into the stored HTML: a symptom's new level reaches the
    translations' cards as it reaches the English articles', in the Spanish triage
    data's words (the English decides where a symptom sends a patient; its new English
    wording makes the Spanish triage data stale, and is not copied into Spanish cards)."""
    translation = translation_of("side-effects-and-safety")
    key = re.search(r"^    - ([a-z0-9-]+)$", translation.body, re.MULTILINE).group(1)
    spanish_text = TriageTranslation.objects.get().symptom_text(key)
    symptom = TriageSymptom.objects.get(key=key)
    symptom.text = "a wording changed a moment ago"
    symptom.level = "soon" if symptom.level != "soon" else "clinic_today"
    symptom.save()
    assert rerender_care_cards() >= 2  # the English article and its translation at least
    english = Article.objects.get(slug="side-effects-and-safety").body_html
    assert "a wording changed a moment ago" in english
    html = translation_of("side-effects-and-safety").body_html
    assert "a wording changed a moment ago" not in html
    card = re.search(rf'care-card--{symptom.level}".*?</ul>', html, re.S).group(0)
    assert spanish_text in card
    assert TriageTranslation.objects.get().is_stale


def test_a_translation_made_in_the_admin_round_trips_up_to_date(
    imported, reviewer_client, tmp_path
):
    """Made in the admin, it records the English as it is and the English file's SHA-256
    as export writes it: exported, then imported into a database without it, it is up to
    date, naming the English file export wrote."""
    translation = translation_of("a-treatment-day")
    data = change_form(translation, translated_on="2026-12-05")
    translation.delete()
    response = reviewer_client.post("/admin/articles/articletranslation/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    made = translation_of("a-treatment-day")
    assert not made.is_stale and made.source_file == "" and made.translation_of == ""
    exported = tmp_path / "exported"
    call_command("export_content", "--dir", str(exported), stdout=StringIO())
    written = (exported / "es" / "articles" / "08-a-treatment-day.md").read_text()
    assert "translation_of: content/articles/08-a-treatment-day.md\n" in written
    made.delete()
    run_import(exported)
    again = translation_of("a-treatment-day")
    assert not again.is_stale and again.title == made.title
