"""Translations of FAQ answers, glossary entries, the triage data and the clinic's pages
as records of their own (issue 28 items 2 and 3): import_content reads content/es/faq.md,
glossary.yaml, triage.yaml and pages/, export_content writes them back byte for byte,
each knows the English text it translates and says when that changed (staff see it in
"Translations to update", word by word), and each has its own review under
REQUIRE_MEDICAL_REVIEW."""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from articles.models import (
    FAQEntry,
    FAQEntryTranslation,
    GlossaryTerm,
    GlossaryTermTranslation,
    TriageSymptom,
    TriageTranslation,
)
from articles.queries import (
    shown_faq_translations,
    shown_glossary_translations,
    shown_translation,
    shown_triage_translation,
)
from clinic.models import Page, PageTranslation

# The fixtures `content` and `imported` come from tests/content_copy.py (shared with the
# other translation tests): a test naming one as an argument is not a redefinition.
# ruff: noqa: F811
from tests.content_copy import content, imported, run_import  # noqa: F401
from tests.reviewing import a_clinician
from tests.staff import staff_in_group

SPANISH = Path(settings.BASE_DIR) / "content" / "es"
SET_FILES = ["faq.md", "glossary.yaml", "triage.yaml"]
PAGE_FILES = sorted(p.name for p in (SPANISH / "pages").glob("*.md"))
TO_UPDATE = "/admin/articles/articletranslation/to-update/"
ADDED = "Drink a glass of water when you get home."


def spanish_front_matter(name: str) -> dict:
    return yaml.safe_load((SPANISH / name).read_text(encoding="utf-8").split("---")[1])


def test_every_spanish_file_comes_in_as_records_translated_not_reviewed_up_to_date(imported):
    assert FAQEntryTranslation.objects.count() == len(spanish_front_matter("faq.md")["questions"])
    glossary = yaml.safe_load((SPANISH / "glossary.yaml").read_text(encoding="utf-8"))
    assert GlossaryTermTranslation.objects.count() == len(glossary["entries"])
    assert TriageTranslation.objects.count() == 1
    assert PageTranslation.objects.count() == len(PAGE_FILES)
    for model in (FAQEntryTranslation, GlossaryTermTranslation, TriageTranslation, PageTranslation):
        for translation in model.objects.all():
            assert translation.language == "es"
            assert translation.translator.startswith("Borrador")
            assert not translation.review_is_current
            assert not translation.is_stale, translation
    answer = FAQEntryTranslation.objects.get(entry__question="Is ketamine addictive?")
    assert answer.question == "¿La ketamina crea adicción?" and answer.answer_html.startswith("<")
    triage = TriageTranslation.objects.get()
    assert triage.symptom_text("chest-pain") == "Dolor en el pecho"
    assert "marque 2" in triage.level_heading("crisis")
    privacy = PageTranslation.objects.get(page__slug="privacy")
    assert privacy.title == "Aviso de privacidad" and "<h2" in privacy.body_html


@pytest.mark.parametrize("name", [*SET_FILES, *(f"pages/{n}" for n in PAGE_FILES)])
def test_export_writes_each_spanish_file_back_byte_for_byte(imported, tmp_path, name):
    out = tmp_path / "exported"
    call_command("export_content", "--dir", str(out), stdout=StringIO())
    assert (out / "es" / name).read_bytes() == (SPANISH / name).read_bytes()


# --- Each kind: the English changes, the translation says so, staff see it, it is fixed ---


def change_faq():
    entry = FAQEntry.objects.get(question="Is ketamine addictive?")
    entry.answer += f"\n\n{ADDED}\n"
    entry.save()
    return FAQEntryTranslation.objects.get(entry=entry)


def change_glossary():
    term = GlossaryTerm.objects.get(slug="dissociation")
    term.definition += f" {ADDED}"
    term.save()
    return GlossaryTermTranslation.objects.get(glossary_term=term)


def change_triage():
    symptom = TriageSymptom.objects.get(key="chest-pain")
    symptom.text = f"{symptom.text} {ADDED}"
    symptom.save()
    return TriageTranslation.objects.get()


def change_page():
    page = Page.objects.get(slug="privacy")
    page.body += f"\n\n{ADDED}\n"
    page.save()
    return PageTranslation.objects.get(page=page)


CHANGES = [change_faq, change_glossary, change_triage, change_page]


@pytest.fixture
def reviewer_client(client, db):
    user = staff_in_group("reviewer", "Clinical reviewer")
    a_clinician("Dr Ada Example", "MD", user=user)
    client.force_login(user)
    return client


@pytest.mark.parametrize("change", CHANGES, ids=lambda f: f.__name__)
def test_a_changed_english_text_makes_its_translation_stale_and_listed_until_updated(
    imported, reviewer_client, change
):
    assert not any(t.is_stale for t in FAQEntryTranslation.objects.all())
    translation = change()
    assert translation.is_stale
    page = reviewer_client.get(TO_UPDATE)
    assert page.status_code == 200
    content = page.content.decode()
    assert str(translation) in content.replace("&#x27;", "'")
    assert f"<ins>{ADDED}</ins>" in content or f"<ins>{ADDED}" in content
    # Brought up to date and reviewed, as a translator and a clinician would.
    translation.translates_current_english()
    translation.record_review(a_clinician())
    translation.save()
    translation.refresh_from_db()
    assert not translation.is_stale and translation.review_is_current
    assert "Every translation is up to date" in reviewer_client.get(TO_UPDATE).content.decode()


def test_an_faq_translation_is_brought_up_to_date_and_reviewed_in_the_admin(
    imported, reviewer_client
):
    translation = change_faq()
    url = f"/admin/articles/faqentrytranslation/{translation.pk}/change/"
    form = reviewer_client.get(url).content.decode()
    assert "The English changed since this was translated" in form
    assert 'name="record_review"' in form
    response = reviewer_client.post(
        url,
        {
            "entry": str(translation.entry_id),
            "language": "es",
            "question": translation.question,
            "answer": translation.answer + "\n\nTome un vaso de agua al llegar a casa.\n",
            "translator": translation.translator,
            "translated_on": "2026-12-05",
            "next_review_due": "",
            "translates_current_english": "on",
            "record_review": "on",
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    translation.refresh_from_db()
    assert not translation.is_stale and translation.review_is_current
    assert "Tome un vaso de agua" in translation.answer_html
    assert "Every translation is up to date" in reviewer_client.get(TO_UPDATE).content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/faqentrytranslation/",
        "/admin/articles/glossarytermtranslation/",
        "/admin/articles/triagetranslation/",
        "/admin/clinic/pagetranslation/",
        "/admin/articles/faqentrytranslation/add/",
        "/admin/articles/glossarytermtranslation/add/",
        "/admin/clinic/pagetranslation/add/",
    ],
)
def test_staff_see_each_kind_in_the_admin(imported, reviewer_client, url):
    page = reviewer_client.get(url)
    assert page.status_code == 200
    if not url.endswith("add/"):
        assert "Not reviewed yet" in page.content.decode()
        assert "Translations to update" in page.content.decode()


def test_an_editor_cannot_change_the_triage_translation_or_sign_off_one(imported, client):
    client.force_login(staff_in_group("editor", "Editor"))
    triage = TriageTranslation.objects.get()
    url = f"/admin/articles/triagetranslation/{triage.pk}/change/"
    assert 'name="symptom_texts"' not in client.get(url).content.decode()
    answer = FAQEntryTranslation.objects.first()
    form = client.get(f"/admin/articles/faqentrytranslation/{answer.pk}/change/")
    assert 'name="answer"' in form.content.decode()
    assert 'name="record_review"' not in form.content.decode()


# --- The review rule ---------------------------------------------------------------------


def translations_of_each_kind():
    return [
        (
            FAQEntryTranslation.objects.select_related("entry").first(),
            lambda t: shown_translation(t.entry, "es"),
        ),
        (
            GlossaryTermTranslation.objects.select_related("glossary_term").first(),
            lambda t: shown_translation(t.glossary_term, "es"),
        ),
        (
            PageTranslation.objects.select_related("page").first(),
            lambda t: shown_translation(t.page, "es"),
        ),
        (TriageTranslation.objects.get(), lambda t: shown_triage_translation("es")),
    ]


def test_with_the_review_rule_on_only_a_reviewed_translation_is_shown(imported, settings):
    for translation, shown in translations_of_each_kind():
        assert shown(translation) == translation  # the rule off: shown, "not yet reviewed"
    settings.REQUIRE_MEDICAL_REVIEW = True
    for translation, shown in translations_of_each_kind():
        assert shown(translation) is None, translation
        translation.record_review(a_clinician())
        translation.save()
        assert shown(translation) == translation
        # An edit after the review: the review no longer covers the text shown.
        name = translation.TRANSLATED_FIELDS[0]
        if isinstance(translation, TriageTranslation):
            translation.symptom_texts[0]["text"] += " (editado)"
        else:
            setattr(translation, name, getattr(translation, name) + " (editado)")
        translation.save()
        assert shown(translation) is None, translation
    assert shown_faq_translations("es") == {} and shown_glossary_translations("es") == {}


def test_the_bulk_lists_give_every_shown_translation_by_english_id(imported):
    faq = shown_faq_translations("es")
    assert len(faq) == FAQEntryTranslation.objects.count()
    assert all(t.entry_id == entry_id for entry_id, t in faq.items())
    assert len(shown_glossary_translations("es")) == GlossaryTermTranslation.objects.count()
    assert shown_faq_translations("xx") == {}


def test_a_stale_translation_is_still_shown_saying_when_the_english_changed(imported):
    translation = change_page()
    shown = shown_translation(translation.page, "es")
    assert shown.is_stale and shown.english_changed_on == translation.page.updated_at.date()


# --- Files: review round trip, older English, broken files ------------------------------


def test_a_reviewed_faq_answer_is_exported_with_its_own_review_and_imported_back(
    imported, tmp_path, db
):
    answer = FAQEntryTranslation.objects.get(entry__question="Is ketamine addictive?")
    answer.record_review(a_clinician())
    answer.save()
    exported = tmp_path / "exported"
    call_command("export_content", "--dir", str(exported), stdout=StringIO())
    text = (exported / "es" / "faq.md").read_text(encoding="utf-8")
    assert f"review_fingerprint: {answer.reviewed_hash}" in text
    assert text.count('reviewer: "Dr Ada Example"') == 1  # only under that answer
    assert "Nothing to change" in run_import(exported)
    FAQEntryTranslation.objects.update(reviewer=None, reviewed_on=None, reviewed_hash="")
    run_import(exported, "--force")
    again = FAQEntryTranslation.objects.get(pk=answer.pk)
    assert again.review_is_current and not again.is_stale
    assert not FAQEntryTranslation.objects.exclude(pk=answer.pk).filter(reviewer__isnull=False)
    second = tmp_path / "second"
    call_command("export_content", "--dir", str(second), stdout=StringIO())
    assert (second / "es" / "faq.md").read_bytes() == text.encode()


def test_a_review_claim_not_covering_the_text_is_not_recorded(db, content):
    a_clinician()
    glossary = content / "es" / "glossary.yaml"
    glossary.write_text(
        glossary.read_text(encoding="utf-8").replace(
            "    translation_of: aneurysm\n",
            "    translation_of: aneurysm\n    reviewed_on: 2026-12-01\n"
            '    reviewer: "Dr Ada Example"\n    review_fingerprint: ' + "0" * 64 + "\n",
        ),
        encoding="utf-8",
    )
    output = run_import(content)
    assert "Review not recorded for glossary translation aneurysm" in output
    assert not GlossaryTermTranslation.objects.get(glossary_term__slug="aneurysm").reviewed_hash


@pytest.mark.parametrize("name", ["faq.md", "glossary.yaml", "triage.yaml", "pages/privacy.md"])
def test_a_translation_of_an_older_english_file_comes_in_stale(db, content, name):
    english = content / name
    english.write_text(english.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    output = run_import(content)
    assert "name an English file version that is not the one in content/" in output
    stale = {
        "faq.md": FAQEntryTranslation.objects.all(),
        "glossary.yaml": GlossaryTermTranslation.objects.all(),
        "triage.yaml": TriageTranslation.objects.all(),
        "pages/privacy.md": PageTranslation.objects.filter(page__slug="privacy"),
    }[name]
    assert stale.exists() and all(t.is_stale for t in stale)
    # Only the translations of the file that changed.
    assert not any(t.is_stale for t in PageTranslation.objects.filter(page__slug="accessibility"))


@pytest.mark.parametrize(
    "name,old,new,says",
    [
        (
            "faq.md",
            '    en: "Is ketamine addictive?"',
            '    en: "No such question?"',
            "No such question",
        ),
        ("faq.md", "questions:\n", 'questions:\n  - es: "¿Extra?"\n    en: "x"\n', "every `## `"),
        (
            "glossary.yaml",
            "translation_of: aneurysm",
            "translation_of: no-such-term",
            "no-such-term",
        ),
        ("triage.yaml", "  - key: crisis\n", "  - key: panic\n", "Give each level once"),
        ("triage.yaml", "    level: soon\n", "    level: later\n", "Give each symptom"),
        ("triage.yaml", "english_sha256: ", "english_sha256: 12", "english_sha256 must be"),
        ("pages/privacidad.md", "slug: privacy", "slug: no-such-page", "names no English page"),
    ],
)
def test_a_broken_spanish_file_stops_the_import_naming_it(db, content, name, old, new, says):
    path = content / "es" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        run_import(content)
    message = str(refused.value)
    assert message.startswith("Nothing was imported.") and Path(name).name in message
    assert says in message
    assert not FAQEntry.objects.exists() and not FAQEntryTranslation.objects.exists()


def test_bad_triage_data_or_answer_gets_a_polite_error_next_to_the_field(imported, client):
    user = staff_in_group("reviewer", "Clinical reviewer")
    client.force_login(user)
    triage = TriageTranslation.objects.get()
    url = f"/admin/articles/triagetranslation/{triage.pk}/change/"
    response = client.post(
        url,
        {
            "language": "es",
            "level_headings": '[{"key": "emergency"}]',
            "symptom_texts": '[{"key": "chest-pain", "level": "emergency"}]',
            "translator": triage.translator,
            "translated_on": "2026-12-05",
            "next_review_due": "",
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Give each level once" in page and "Give each symptom" in page
    answer = FAQEntryTranslation.objects.first()
    response = client.post(
        f"/admin/articles/faqentrytranslation/{answer.pk}/change/",
        {
            "entry": str(answer.entry_id),
            "language": "es",
            "question": answer.question,
            "answer": answer.answer + " Una cita.[^nope]",
            "translator": answer.translator,
            "translated_on": "2026-12-05",
            "next_review_due": "",
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    assert "An answer does not list sources" in response.content.decode()
    assert TriageTranslation.objects.get().symptom_texts == triage.symptom_texts


def test_a_spanish_glossary_form_another_spanish_entry_claims_is_refused(imported, client):
    client.force_login(staff_in_group("editor", "Editor"))
    entry = GlossaryTermTranslation.objects.get(glossary_term__slug="aneurysm")
    other = GlossaryTermTranslation.objects.get(glossary_term__slug="benzodiazepine")
    response = client.post(
        f"/admin/articles/glossarytermtranslation/{entry.pk}/change/",
        {
            "glossary_term": str(entry.glossary_term_id),
            "language": "es",
            "term": entry.term,
            "also": "benzodiacepinas",
            "definition": entry.definition,
            "translator": entry.translator,
            "translated_on": "2026-12-05",
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    assert f"Already used by another entry: “benzodiacepinas” ({other.term})" in (
        response.content.decode()
    )
