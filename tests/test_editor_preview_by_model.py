"""The editor's live preview renders the text as the save of the model being edited does.

The widget names the model in the preview's address (?model=<label>); the endpoint picks
that model's renderer from foundation/content_rendering.py, with no settings string. An
FAQ answer, a glossary entry or a trust page is previewed without the glossary links and
References list only an article gets.
"""

import pytest
from django.conf import settings
from django.urls import reverse

from articles.models import Article, CitedSource, FAQEntry, GlossaryTerm, TriageSymptom
from clinic.models import Page
from foundation import content_rendering
from foundation.editor_widgets import preview_path
from tests.staff import staff_in_group, staff_with_permissions

TEXT = (
    "Ketamine works fast.[^preview2024]\n\n"
    '!!! when-to-get-help "Get help if you notice:"\n'
    "    - preview-breathing\n"
)
SAVED = {
    "articles.article": lambda text: (
        Article.objects.create(title="T", slug="t", summary="S", body=text).body_html
    ),
    "articles.faqentry": lambda text: (
        FAQEntry.objects.create(question="Q?", answer=text).answer_html
    ),
    "articles.glossaryterm": lambda text: (
        GlossaryTerm.objects.create(
            term="Dissociation", slug="dissociation", definition=text
        ).definition_html
    ),
    "clinic.page": lambda text: (
        Page.objects.create(title="P", slug="p", summary="S", body=text).body_html
    ),
}


@pytest.fixture
def content(db):
    CitedSource.objects.create(key="preview2024", text="Preview A. A study. J Test. 2024.")
    TriageSymptom.objects.create(key="preview-breathing", level="emergency", text="Slow breathing")
    GlossaryTerm.objects.create(term="Ketamine", slug="ketamine", definition="A medicine.")


@pytest.fixture
def reviewer_client(client, db):
    user = staff_in_group("reviewer", "Clinical reviewer")
    user.is_superuser = True  # may edit every kind of content, pages included
    user.save()
    client.force_login(user)
    return client


def test_no_settings_string_chooses_the_renderer():
    assert not hasattr(settings, "MARKDOWNX_MARKDOWNIFY_FUNCTION")


def test_every_markdown_model_registers_its_renderer():
    assert {"articles.article", "articles.faqentry", "articles.glossaryterm", "clinic.page"} <= set(
        content_rendering._RENDERERS
    )


@pytest.mark.parametrize("label", SAVED)
def test_the_preview_is_what_the_models_save_stores(reviewer_client, content, label):
    text = TEXT.replace("[^preview2024]", "") if label != "articles.article" else TEXT
    response = reviewer_client.post(preview_path(label), {"content": text})
    assert response.status_code == 200
    assert response.content.decode() == SAVED[label](text)


def test_only_an_article_preview_lists_references_and_links_glossary_terms(
    reviewer_client, content
):
    article = reviewer_client.post(preview_path("articles.article"), {"content": TEXT})
    assert '<h2 id="references">References</h2>' in article.content.decode()
    assert 'href="/glossary/#ketamine"' in article.content.decode()
    for label in ("articles.faqentry", "articles.glossaryterm", "clinic.page"):
        html = reviewer_client.post(preview_path(label), {"content": TEXT}).content.decode()
        assert "References</h2>" not in html and "/glossary/#ketamine" not in html


def test_an_faq_preview_warns_of_what_its_save_refuses(reviewer_client, content):
    html = reviewer_client.post(preview_path("articles.faqentry"), {"content": TEXT})
    assert '<p class="editor-warning" role="alert">An answer does not list sources' in (
        html.content.decode()
    )


@pytest.mark.parametrize(
    "query", ["", "?model=", "?model=articles.searchsynonym", "?model=auth.user", "?model=x.y.z"]
)
def test_an_unknown_kind_of_content_is_a_clear_400(reviewer_client, query):
    response = reviewer_client.post(settings.MARKDOWNX_URLS_PATH + query, {"content": "**x**"})
    assert response.status_code == 400
    assert response.json() == {
        "error": "The preview does not know this kind of content. Please reload the page."
    }


def test_the_preview_is_refused_for_content_the_user_may_not_edit(client, db):
    client.force_login(staff_with_permissions("pages", "change_page"))
    assert client.post(preview_path("clinic.page"), {"content": "**x**"}).status_code == 200
    refused = client.post(preview_path("articles.article"), {"content": "**x**"})
    assert refused.status_code == 403
    assert b"<strong>" not in refused.content


@pytest.mark.parametrize(
    "admin_name, label",
    [
        ("articles_article", "articles.article"),
        ("articles_faqentry", "articles.faqentry"),
        ("articles_glossaryterm", "articles.glossaryterm"),
        ("clinic_page", "clinic.page"),
    ],
)
def test_each_editor_previews_through_its_own_model(reviewer_client, admin_name, label):
    html = reviewer_client.get(reverse(f"admin:{admin_name}_add")).content.decode()
    assert f'data-markdownx-urls-path="/editor/markdownify/?model={label}"' in html
