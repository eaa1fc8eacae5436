from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from clinic.models import Page

from .models import Article


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Article.objects.published().only("slug", "updated_at")

    def lastmod(self, article: Article):
        return article.updated_at


class PageSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.3

    def items(self):
        return Page.objects.only("slug", "updated_at")

    def lastmod(self, page: Page):
        return page.updated_at


class MainPagesSitemap(Sitemap):
    changefreq = "weekly"
    priority = 1.0

    def items(self) -> list[str]:
        return ["home", "articles:index", "articles:faq", "inquiries:contact"]

    def location(self, name: str) -> str:
        return reverse(name)


SITEMAPS = {"main": MainPagesSitemap, "articles": ArticleSitemap, "pages": PageSitemap}
