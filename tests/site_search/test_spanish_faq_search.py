"""Spanish FAQ answers on /es/search/ (issue 28 item 5), as English search treats FAQ
answers: in one ranked list with the articles, found by their Spanish words whatever the
accents, linking to the answer's place on the Spanish FAQ page (/es/faq/#faq-<English
entry id>, the anchor templates/articles/faq.html renders), shown whole when the question
holds every word, only when the review rules allow, and following saves and deletes of
the translation and of its English entry. The same on SQLite and PostgreSQL (the suite
runs on both)."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import FAQEntryTranslation
from search import backends
from search.spanish_text import stemmed
from tests.reviewing import a_clinician
from tests.site_search.results import results_of

WHO_SHOULD_NOT = "¿Quién no debe recibir ketamina?"
ADDICTION = "¿La ketamina crea adicción?"
SUICIDAL_THOUGHTS = "¿La ketamina quita los pensamientos suicidas?"
SIDE_EFFECTS_ANSWER = "¿Cuáles son los efectos secundarios?"


def spanish_search(client, query: str) -> str:
    response = client.get("/es/search/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def links(html: str) -> list[str]:
    return re.findall(r'<h3><a href="([^"]+)">', results_of(html))


def answer(question: str) -> FAQEntryTranslation:
    return FAQEntryTranslation.objects.select_related("entry").get(question=question)


def link_to(question: str) -> str:
    return f"/es/faq/#faq-{answer(question).entry_id}"


# --- Found by its Spanish words ---------------------------------------------------------------


@pytest.mark.parametrize("query", ["cráneo", "craneo", "CRANEO", "aneurismas"])
def test_a_spanish_answer_is_found_by_the_words_of_its_answer_whatever_the_accents(
    client, site, query
):
    # "cráneo" and "aneurisma" are in the answer's text, not in its question.
    assert link_to(WHO_SHOULD_NOT) in links(spanish_search(client, query))


def test_its_link_is_the_answers_anchor_on_the_faq_page(client, site):
    entry = answer(WHO_SHOULD_NOT).entry
    assert link_to(WHO_SHOULD_NOT) == f"/es/faq/#faq-{entry.pk}"
    # The FAQ page gives each answer that id, in both languages: on the Spanish page it is
    # the Spanish answer.
    assert f'id="faq-{entry.pk}"' in client.get("/faq/").content.decode()
    spanish_faq = client.get("/es/faq/").content.decode()
    assert f'id="faq-{entry.pk}"' in spanish_faq
    assert "cráneo" in spanish_faq.split(f'id="faq-{entry.pk}"')[1].split("</details>")[0]


def test_answers_and_articles_come_in_one_ranked_list(client, site):
    html = spanish_search(client, "efectos secundarios")
    found = links(html)
    assert "/es/articles/side-effects-and-safety/" in found
    assert link_to(SIDE_EFFECTS_ANSWER) in found
    counts = re.search(
        r"Encontramos (\d+) resultados: (\d+) artículos? y (\d+) respuestas?\.", html
    )
    assert counts, "the count names articles and answers, in Spanish"
    total, articles, answers = (int(n) for n in counts.groups())
    assert answers >= 2 and articles >= 1 and total == articles + answers
    assert len(found) == min(total, 10)  # the first page of results
    # Each says what it is, in Spanish.
    assert '<p class="result-kind">Respuesta</p>' in results_of(html)


def test_the_words_are_marked_in_the_answers_snippet(client, site):
    html = results_of(spanish_search(client, "craneo"))
    assert "<mark>cráneo</mark>" in html


def test_an_answer_whose_question_holds_every_word_comes_first_whole(client, site):
    html = spanish_search(client, "adiccion")
    assert links(html)[0] == link_to(ADDICTION)
    first = results_of(html).split("</li>")[0]
    assert "direct-answer" in first and "Respuesta a su pregunta" in first
    assert "se vuelven dependientes" in first  # the whole answer, not a snippet


def test_an_answer_need_not_name_ketamine(client, site):
    # As in English: the site's subject is never required of an FAQ answer.
    translation = answer("¿Cómo informo de un efecto secundario?")
    assert "ketamina" not in translation.answer.lower()
    assert link_to(translation.question) in links(spanish_search(client, "ketamina medwatch"))


def test_english_search_does_not_find_spanish_answers(client, site):
    html = client.get("/search/", {"q": "craneo aneurisma"}).content.decode()
    assert "/es/faq/" not in results_of(html)


def test_a_spanish_crisis_search_still_shows_the_emergency_card_first(client, site):
    html = spanish_search(client, "pensamientos suicidas")
    assert 'id="care-card-search"' in html
    assert html.index('id="care-card-search"') < html.index("<h1")
    assert html.index('id="care-card-search"') < html.index('id="search-results"')
    assert link_to(SUICIDAL_THOUGHTS) in links(html)
    assert "/es/when-to-get-help/" in html


# --- Which answers, as they change ---------------------------------------------------------


def test_with_review_required_an_unreviewed_answer_is_not_found(client, site, settings):
    settings.REQUIRE_MEDICAL_REVIEW = True
    assert links(spanish_search(client, "aneurisma")) == []
    translation = answer(WHO_SHOULD_NOT)
    translation.record_review(a_clinician())
    translation.save()
    assert links(spanish_search(client, "aneurisma")) == [link_to(WHO_SHOULD_NOT)]
    # Changed after the review: the review no longer covers it, and it is not shown.
    translation.answer += " Un aneurisma se puede tratar."
    translation.save()
    assert links(spanish_search(client, "aneurisma")) == []


def test_the_index_follows_saves_and_deletes_of_the_translation(client, site):
    translation = answer(ADDICTION)
    translation.answer += "\n\nLa palabra ornitorrinco aparece aquí."
    translation.save()
    assert links(spanish_search(client, "ornitorrincos")) == [link_to(ADDICTION)]
    translation.delete()
    assert links(spanish_search(client, "ornitorrinco")) == []
    assert backends.current().spanish_term_matches([(stemmed("ornitorrinco"),)], "faq") == set()


def test_the_index_follows_saves_and_deletes_of_the_english_entry(client, site):
    translation, link = answer(ADDICTION), link_to(ADDICTION)
    entry = translation.entry
    entry.order = 1  # the English entry saved: its Spanish answer is still found
    entry.save()
    assert links(spanish_search(client, "adiccion"))[0] == link
    entry.delete()  # its translations go with it
    assert not FAQEntryTranslation.objects.filter(pk=translation.pk).exists()
    assert link not in links(spanish_search(client, "adiccion"))
    assert backends.current().spanish_term_matches([(stemmed("adicción"),)], "faq") == set()


def test_rebuild_search_index_writes_the_spanish_answers_again(client, site):
    backend = backends.current()
    backend.clear_spanish("faq")
    assert backend.spanish_term_matches([(stemmed("cráneo"),)], "faq") == set()
    call_command("rebuild_search_index", stdout=StringIO())
    assert answer(WHO_SHOULD_NOT).pk in backend.spanish_term_matches([(stemmed("cráneo"),)], "faq")
    assert link_to(WHO_SHOULD_NOT) in links(spanish_search(client, "craneo"))


def test_html_rendered_again_with_update_reaches_the_spanish_index(client, site):
    """Care cards are rendered into the stored HTML and written again with update()
    (no post_save) when the triage data or the clinic's numbers change
    (rerender_care_cards): the Spanish index follows, for answers as for articles. Here
    the Markdown changes without a save, so the next rendering differs whatever the cards
    are rendered from."""
    from articles.models import ArticleTranslation, rerender_care_cards

    card = '\n\n!!! when-to-get-help "Busque ayuda si nota:"\n    - seizure\n'
    translation = answer(SIDE_EFFECTS_ANSWER)
    FAQEntryTranslation.objects.filter(pk=translation.pk).update(
        answer=translation.answer + "\n\nUn ornitorrinco." + card
    )
    article = ArticleTranslation.objects.get(article__slug="a-treatment-day")
    ArticleTranslation.objects.filter(pk=article.pk).update(
        body=article.body + "\n\nUn ornitorrinco." + card
    )
    assert links(spanish_search(client, "ornitorrinco")) == []
    rerender_care_cards()
    found = links(spanish_search(client, "ornitorrinco"))
    assert sorted(found) == sorted([link_to(SIDE_EFFECTS_ANSWER), "/es/articles/a-treatment-day/"])
