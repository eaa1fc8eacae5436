from django.contrib.sitemaps import Sitemap

from .models import Page


class PageSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.3

    def items(self):
        return Page.objects.only("slug", "updated_at")

    def lastmod(self, page: Page):
        return page.updated_at
