"""The search tests' site: the real demo content."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def site(db, settings):
    settings.REQUIRE_MEDICAL_REVIEW = False  # the demo content, as scripts/run serves it
    """The real articles and FAQ from the repository's content/ folder."""
    call_command("import_content", stdout=StringIO())
