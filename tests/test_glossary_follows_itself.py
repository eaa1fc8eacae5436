"""A glossary change re-renders the articles it touches from the glossary's own save and
delete (GlossaryTerm.save; a post_delete signal for deletes), whoever makes it: the admin,
an approved change, import_content or code."""

from articles.models import Article, GlossaryTerm


def linked(article: Article) -> bool:
    article.refresh_from_db()
    return 'href="/glossary/#esketamine"' in article.body_html


def test_a_term_saved_anywhere_links_the_articles_at_once(make_article):
    article = make_article(body="Spravato is a nasal spray.\n")
    term = GlossaryTerm.objects.create(term="Esketamine", slug="esketamine", definition="A form.")
    assert not linked(article)  # the article does not use the word yet

    term.also = "Spravato"
    term.save()
    assert linked(article)


def test_a_deleted_term_leaves_the_articles(make_article):
    GlossaryTerm.objects.create(term="Esketamine", slug="esketamine", definition="A form.")
    article = make_article(body="Esketamine is a nasal spray.\n")
    assert linked(article)
    GlossaryTerm.objects.get(slug="esketamine").delete()
    assert not linked(article)


def test_a_bulk_delete_leaves_the_articles_too(make_article):
    GlossaryTerm.objects.create(term="Esketamine", slug="esketamine", definition="A form.")
    article = make_article(body="Esketamine is a nasal spray.\n")
    assert linked(article)
    GlossaryTerm.objects.filter(slug="esketamine").delete()
    assert not linked(article)
