"""A copy of the site's content/ (English and Spanish) to change freely, and importing
it: for the tests of translations (articles, and the FAQ, glossary, triage and pages)."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command


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
