"""Translations of FAQ answers, glossary entries, the triage data and the clinic's pages
as records of their own (issue 28 items 2 and 3): import_content reads content/es/faq.md,
glossary.yaml, triage.yaml and pages/, export_content writes them back byte for byte,
each knows the English text it translates and says when that changed (staff see it in
"Translations to update", word by word), and each has its own review under
REQUIRE_MEDICAL_REVIEW."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from articles.models import (
    FAQEntryTranslation,
    GlossaryTermTranslation,
    TriageTranslation,
)
from clinic.models import PageTranslation

SPANISH = Path(settings.BASE_DIR) / "content" / "es"
SET_FILES = ["faq.md", "glossary.yaml", "triage.yaml"]
PAGE_FILES = sorted(p.name for p in (SPANISH / "pages").glob("*.md"))


def run_import(folder: Path, *args: str) -> str:
    out = StringIO()
    call_command("import_content", "--dir", str(folder), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def content(tmp_path, settings) -> Path:
    """A copy of the site's content/, English and Spanish, to change freely."""
    settings.REQUIRE_MEDICAL_REVIEW = False  # the English files name no reviewer (demo import)
    folder = tmp_path / "content"
    shutil.copytree(Path(settings.BASE_DIR) / "content", folder)
    return folder


@pytest.fixture
def imported(db, content) -> Path:
    run_import(content)
    return content


def test_every_spanish_file_comes_in_as_records_translated_not_reviewed_up_to_date(imported):
    faq_pairs = len(
        __import__("yaml").safe_load((SPANISH / "faq.md").read_text().split("---")[1])["questions"]
    )
    assert FAQEntryTranslation.objects.count() == faq_pairs
    glossary = __import__("yaml").safe_load((SPANISH / "glossary.yaml").read_text())["entries"]
    assert GlossaryTermTranslation.objects.count() == len(glossary)
    assert TriageTranslation.objects.count() == 1
    assert PageTranslation.objects.count() == len(PAGE_FILES)
    for model in (FAQEntryTranslation, GlossaryTermTranslation, TriageTranslation, PageTranslation):
        for translation in model.objects.all():
            assert translation.language == "es"
            assert translation.translator.startswith("Borrador")
            assert not translation.review_is_current
            assert not translation.is_stale, translation


@pytest.mark.parametrize("name", [*SET_FILES, *(f"pages/{n}" for n in PAGE_FILES)])
def test_export_writes_each_spanish_file_back_byte_for_byte(imported, tmp_path, name):
    out = tmp_path / "exported"
    call_command("export_content", "--dir", str(out), stdout=StringIO())
    assert (out / "es" / name).read_bytes() == (SPANISH / name).read_bytes()
