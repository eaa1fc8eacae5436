from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Patient education"

    def ready(self) -> None:
        from clinic.models import ClinicProfile
        from clinic_site import content_version

        from . import (
            checks,  # noqa: F401  (registers the system check)
            search_index,
        )
        from .models import (
            Article,
            CitedSource,
            FAQEntry,
            GlossaryTerm,
            PendingChange,
            SearchPromotion,
            SearchSynonym,
            TriageSymptom,
            next_scheduled_publish,
        )

        # Articles, FAQ answers and the glossary are on public pages, and a scheduled
        # article goes live at its publish_at without anyone saving it. /about-our-content/
        # counts the changes waiting for review. Synonyms and promotions change what
        # search finds (search keeps them per worker until the next save).
        content_version.invalidate_when_saved(
            Article,
            CitedSource,
            FAQEntry,
            GlossaryTerm,
            PendingChange,
            SearchSynonym,
            SearchPromotion,
            TriageSymptom,
        )
        content_version.register_scheduled_changes(next_scheduled_publish)

        # The databases' search indexes follow every save and delete (search_index.py).
        post_save.connect(search_index.article_saved, sender=Article, dispatch_uid="search_a")
        post_save.connect(search_index.faq_entry_saved, sender=FAQEntry, dispatch_uid="search_f")
        post_delete.connect(
            search_index.article_deleted, sender=Article, dispatch_uid="search_a_del"
        )
        post_delete.connect(
            search_index.faq_entry_deleted, sender=FAQEntry, dispatch_uid="search_f_del"
        )

        # Care cards carry the clinic's phone numbers (the after-hours line too), rendered
        # into the stored pages: a profile save renders every page with a card again.
        post_save.connect(
            care_cards_follow_profile, sender=ClinicProfile, dispatch_uid="cards_profile"
        )


def care_cards_follow_profile(sender, **kwargs) -> None:
    from .models import rerender_care_cards

    rerender_care_cards()
