from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Patient education"

    def ready(self) -> None:
        from clinic.models import ClinicProfile
        from foundation import content_rendering, content_version

        from . import checks  # noqa: F401  (registers the system check)
        from .citations import body_problems
        from .models import (
            Article,
            ArticleTranslation,
            CitedSource,
            FAQEntry,
            FAQEntryTranslation,
            GlossaryTerm,
            GlossaryTermTranslation,
            PendingChange,
            TriageSymptom,
            TriageTranslation,
            next_scheduled_publish,
        )

        # Articles, FAQ answers and the glossary are on public pages, and a scheduled
        # article goes live at its publish_at without anyone saving it. /about-our-content/
        # counts the changes waiting for review. (Search registers its own models, and
        # follows these saves through their signals: search/apps.py.)
        content_version.invalidate_when_saved(
            Article,
            ArticleTranslation,
            CitedSource,
            FAQEntry,
            FAQEntryTranslation,
            GlossaryTerm,
            GlossaryTermTranslation,
            PendingChange,
            TriageSymptom,
            TriageTranslation,
        )
        content_version.register_scheduled_changes(next_scheduled_publish)

        # Where an article's Spanish version is (the Spanish pages ask through
        # foundation.languages.spanish_version_of, the one question they all ask).
        from foundation import languages

        from .spanish import spanish_article_of
        from .spanish_sets import faq_finder, glossary_finder, triage_finder

        languages.register_spanish_version("articles.Article", spanish_article_of)
        languages.register_spanish_version("articles:faq", faq_finder)
        languages.register_spanish_version("articles:glossary", glossary_finder)
        languages.register_spanish_version("when_to_get_help", triage_finder)

        # Each model renders its own Markdown; the editor's live preview and the reviewer's
        # preview of a waiting change ask for it by model (foundation/content_rendering.py).
        content_rendering.register(
            Article,
            render=Article.rendered,
            render_item=Article.render,
            html_field="body_html",
            problems=body_problems,
        )
        # A translation renders by the article's renderer (the same citations and cards).
        content_rendering.register(
            ArticleTranslation,
            render=ArticleTranslation.rendered,
            render_item=ArticleTranslation.render,
            html_field="body_html",
            problems=body_problems,
        )
        content_rendering.register(
            FAQEntry,
            render=FAQEntry.rendered,
            render_item=FAQEntry.render,
            html_field="answer_html",
            problems=FAQEntry.answer_problems,
        )
        # Translations of answers and definitions render as the English ones do.
        content_rendering.register(
            FAQEntryTranslation,
            render=FAQEntry.rendered,
            render_item=FAQEntryTranslation.render,
            html_field="answer_html",
            problems=FAQEntry.answer_problems,
        )
        content_rendering.register(
            GlossaryTermTranslation,
            render=GlossaryTerm.rendered,
            render_item=GlossaryTermTranslation.render,
            html_field="definition_html",
        )
        content_rendering.register(
            GlossaryTerm,
            render=GlossaryTerm.rendered,
            render_item=GlossaryTerm.render,
            html_field="definition_html",
        )
        # A term's save renders the articles again itself (GlossaryTerm.save); a delete,
        # of one term or many, is heard here.
        post_delete.connect(
            articles_follow_glossary, sender=GlossaryTerm, dispatch_uid="glossary_deleted"
        )

        # Care cards carry the clinic's phone numbers (the after-hours line too), rendered
        # into the stored pages: a profile save renders every page with a card again.
        post_save.connect(
            care_cards_follow_profile, sender=ClinicProfile, dispatch_uid="cards_profile"
        )
        # The Spanish cards list the Spanish triage data's words: a save of it (the admin,
        # import_content) renders them again. After the content version's own receiver
        # (connected above), so the Spanish triage is read afresh.
        post_save.connect(
            care_cards_follow_profile, sender=TriageTranslation, dispatch_uid="cards_es_triage"
        )


def articles_follow_glossary(sender, **kwargs) -> None:
    """A deleted term's links leave every article."""
    from .models import rerender_articles

    rerender_articles()


def care_cards_follow_profile(sender, **kwargs) -> None:
    from .models import rerender_care_cards

    rerender_care_cards()
