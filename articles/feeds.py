from django.contrib.syndication.views import Feed
from django.urls import reverse

from clinic.models import ClinicProfile

from .models import Article

FEED_SIZE = 50


class ArticleFeed(Feed):
    def link(self) -> str:
        # reverse() rather than a written path: it follows the URLconf and the script
        # prefix when the site is served below a path (SCRIPT_NAME).
        return reverse("articles:index")

    def title(self) -> str:
        return f"{ClinicProfile.load().name}: articles about ketamine therapy"

    def description(self) -> str:
        return "New and updated plain-language articles about ketamine therapy."

    def items(self):
        return Article.objects.published().order_by("-publish_at")[:FEED_SIZE]

    def item_title(self, article: Article) -> str:
        return article.title

    def item_description(self, article: Article) -> str:
        return article.summary

    def item_pubdate(self, article: Article):
        return article.publish_at

    def item_updateddate(self, article: Article):
        return article.updated_at
