from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Patient education"

    def ready(self) -> None:
        from clinic_site import page_cache

        from . import checks  # noqa: F401  (registers the system check)
        from .models import Article, FAQEntry, GlossaryTerm, PendingChange, next_scheduled_publish

        # Articles, FAQ answers and the glossary are on public pages, and a scheduled
        # article goes live at its publish_at without anyone saving it. /about-our-content/
        # counts the changes waiting for review.
        page_cache.invalidate_when_saved(Article, FAQEntry, GlossaryTerm, PendingChange)
        page_cache.register_scheduled_changes(next_scheduled_publish)
