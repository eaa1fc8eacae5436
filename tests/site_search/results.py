"""What the search tests read on the results page."""

import re


def search_page(client, query: str, **params) -> str:
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def results_of(html: str) -> str:
    """The list of results (articles and FAQ answers, one ranked list), or ""."""
    section = re.search(r'id="search-results"(.*?)</section>', html, re.S)
    return section.group(1) if section else ""


def result_links(html: str) -> list[str]:
    """Each result's address, in order: /articles/slug/ or /faq/#faq-N."""
    return re.findall(r'<h3><a href="([^"]+)">', results_of(html))


def first_article(html: str) -> str | None:
    """The first article among the results (an FAQ answer may come before it)."""
    slugs = article_slugs(html)
    return slugs[0] if slugs else None


def article_slugs(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/articles/([^/]+)/"', results_of(html))


def showing_results_for(html: str) -> str | None:
    found = re.search(r"Showing results for <strong>(.*?)</strong>", html)
    return found.group(1) if found else None
