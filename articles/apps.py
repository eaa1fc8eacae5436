from django.apps import AppConfig
from django.db.models.signals import post_save


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Patient education"

    def ready(self) -> None:
        from clinic.models import ClinicProfile
        from clinic_site import page_cache

        from . import checks  # noqa: F401  (registers the system check)
        from .models import (
            Article,
            CitedSource,
            FAQEntry,
            GlossaryTerm,
            PendingChange,
            TriageSymptom,
            next_scheduled_publish,
        )

        # Articles, FAQ answers and the glossary are on public pages, and a scheduled
        # article goes live at its publish_at without anyone saving it. /about-our-content/
        # counts the changes waiting for review. (Search registers its own models, and
        # follows these saves through their signals: search/apps.py.)
        page_cache.invalidate_when_saved(
            Article,
            CitedSource,
            FAQEntry,
            GlossaryTerm,
            PendingChange,
            TriageSymptom,
        )
        page_cache.register_scheduled_changes(next_scheduled_publish)

        # Care cards carry the clinic's phone numbers (the after-hours line too), rendered
        # into the stored pages: a profile save renders every page with a card again.
        post_save.connect(
            care_cards_follow_profile, sender=ClinicProfile, dispatch_uid="cards_profile"
        )


def care_cards_follow_profile(sender, **kwargs) -> None:
    from .models import rerender_care_cards

    rerender_care_cards()
