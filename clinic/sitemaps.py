from foundation.languages import BothLanguagesSitemap

from .models import Page


class PageSitemap(BothLanguagesSitemap):
    changefreq = "yearly"
    priority = 0.3

    def items(self):
        return Page.objects.only("slug", "updated_at")

    def lastmod(self, page: Page):
        return page.updated_at
