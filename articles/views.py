from itertools import groupby

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Article, FAQEntry, Topic

# Articles a newcomer should read first, in this order, by reading-order position.
START_HERE_COUNT = 3


def home(request: HttpRequest) -> HttpResponse:
    articles = list(Article.objects.published().only("title", "slug", "summary", "topic", "order"))
    return render(
        request,
        "home.html",
        {
            "start_here": articles[:START_HERE_COUNT],
            "topics": group_by_topic(articles),
            "faq_preview": FAQEntry.objects.all()[:4],
        },
    )


def article_index(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.published().only("title", "slug", "summary", "topic", "order")
    return render(request, "articles/index.html", {"topics": group_by_topic(articles)})


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("author", "reviewer"), slug=slug)
    is_preview = not article.is_visible_to_visitors
    if is_preview and not can_preview(request):
        raise Http404("No article here.")
    return render(request, "articles/detail.html", {"article": article, "is_preview": is_preview})


def faq(request: HttpRequest) -> HttpResponse:
    entries = list(FAQEntry.objects.all())
    return render(
        request, "articles/faq.html", {"entries": entries, "faq_jsonld": faq_jsonld(entries)}
    )


def faq_jsonld(entries: list[FAQEntry]) -> dict:
    """schema.org FAQPage, so search engines can show the answers directly."""
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": entry.question,
                "acceptedAnswer": {"@type": "Answer", "text": entry.answer_html},
            }
            for entry in entries
        ],
    }


def can_preview(request: HttpRequest) -> bool:
    """Staff who can edit articles see drafts and scheduled articles at their address."""
    user = request.user
    return user.is_authenticated and user.is_staff and user.has_perm("articles.change_article")


def group_by_topic(articles) -> list[tuple[str, list[Article]]]:
    """Articles grouped under their topic, topics in the order of their first article."""
    ordered = sorted(articles, key=lambda a: (a.order, a.title))
    first_position = {}
    for article in ordered:
        first_position.setdefault(article.topic, article.order)
    by_topic = sorted(ordered, key=lambda a: (first_position[a.topic], a.order, a.title))
    labels = dict(Topic.choices)
    return [
        (labels[topic], list(items)) for topic, items in groupby(by_topic, key=lambda a: a.topic)
    ]
