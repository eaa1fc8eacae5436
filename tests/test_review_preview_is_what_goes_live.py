"""A reviewer approves exactly what goes live (issue 22).

For an article, an FAQ answer, a trust page and a glossary entry, the reviewer's preview
of a waiting change (an article's at its address with ?change=<id>; the review screen,
"as it would go live", for the rest) and the comparison's "with this change" side carry
the same HTML that approval then stores and publishes: an article's References list and
glossary links included.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from articles import review
from articles.models import (
    Article,
    ChangeStatus,
    CitedSource,
    FAQEntry,
    GlossaryTerm,
    TriageSymptom,
)
from clinic.models import Clinician, Page
from tests.staff import staff_in_group

# A citation, a glossary term and a care card: the parts a bare Markdown renderer misses.
EDITED_TEXT = (
    "Ketamine can lift a low mood within hours.[^preview2024]\n\n"
    '!!! when-to-get-help "After a dose, get help if you notice:"\n'
    "    - preview-breathing\n"
)


@dataclass(frozen=True)
class Kind:
    model: type
    live: dict
    text_field: str
    html_field: str


KINDS = {
    "article": Kind(
        Article,
        {
            "title": "Ketamine basics",
            "slug": "ketamine-basics",
            "summary": "What it is.",
            "body": "Old words.\n",
            "status": "published",
        },
        "body",
        "body_html",
    ),
    "faq": Kind(
        FAQEntry, {"question": "Does it work fast?", "answer": "Old."}, "answer", "answer_html"
    ),
    "page": Kind(
        Page,
        {"title": "Privacy", "slug": "privacy", "summary": "Your data.", "body": "Old."},
        "body",
        "body_html",
    ),
    "glossary": Kind(
        GlossaryTerm,
        {"term": "Dissociation", "slug": "dissociation", "definition": "Old."},
        "definition",
        "definition_html",
    ),
}
# What each kind's page shows of its text (an FAQ answer has no References list; only an
# article carries citations and glossary links).
EDITS = {
    "article": EDITED_TEXT,
    "faq": EDITED_TEXT.replace("[^preview2024]", ""),
    "page": "## How we keep it\n\nA **short** time, then it is deleted.\n",
    "glossary": "Feeling *apart* from your body or surroundings.",
}


@pytest.fixture
def content(db):
    CitedSource.objects.create(key="preview2024", text="Preview A. A study. J Test. 2024.")
    TriageSymptom.objects.create(key="preview-breathing", level="emergency", text="Slow breathing")
    GlossaryTerm.objects.create(term="Ketamine", slug="ketamine", definition="A medicine.")


def person(name: str, group: str, clinician: str):
    user = staff_in_group(name, group)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_page", "add_page", "view_page"])
    )
    Clinician.objects.create(name=clinician, credentials="MD", user=user)
    return user


@pytest.fixture
def editor(db):
    return person("editor", "Editor", "Nia Nurse")


@pytest.fixture
def reviewer(db):
    return person("reviewer", "Clinical reviewer", "Dr Grace Reviewer")


def waiting_change(kind: Kind, editor, text: str):
    item = kind.model.objects.create(**kind.live)
    if kind.model is Article:  # an article with a current review: an Editor's edit waits
        item.record_review(Clinician.objects.get(name="Dr Grace Reviewer"))
        item.save()
    setattr(item, kind.text_field, text)
    outcome = review.submit(item, editor)
    assert outcome.change is not None and outcome.change.status == ChangeStatus.WAITING
    return item, outcome.change


@pytest.mark.parametrize("name", KINDS)
def test_the_reviewer_sees_the_html_that_approval_publishes(
    client, content, editor, reviewer, name
):
    kind = KINDS[name]
    item, change = waiting_change(kind, editor, EDITS[name])
    client.force_login(reviewer)

    screen_url = reverse("admin:articles_pendingchange_change", args=[change.pk])
    screen = client.get(screen_url)
    assert screen.status_code == 200
    compared = getattr(screen.context["proposed"], kind.html_field)  # "with this change"
    preview = screen.content.decode()
    if kind.model is Article:
        preview = client.get(f"{item.get_absolute_url()}?change={change.pk}").content.decode()

    outcome = review.approve(change, reviewer, reviewed_whole_text=True)
    assert outcome.result == "approved"
    published = getattr(kind.model.objects.get(pk=item.pk), kind.html_field)

    assert compared == published
    assert published in preview
    if kind.model is Article:
        assert '<h2 id="references">References</h2>' in published
        assert 'class="glossary-link"' in published and 'href="/glossary/#ketamine"' in published
    if kind.model in (Article, FAQEntry):
        assert "care-card--emergency" in published and "Slow breathing" in published
