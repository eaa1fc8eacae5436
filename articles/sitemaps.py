from foundation.languages import BothLanguagesSitemap

from .models import Article


class ArticleSitemap(BothLanguagesSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Article.objects.published().only("slug", "updated_at")

    def lastmod(self, article: Article):
        return article.updated_at
