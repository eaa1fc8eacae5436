from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from articles import signals as articles_signals
        from articles.models import Article, ArticleTranslation, FAQEntry, FAQEntryTranslation
        from foundation import content_version

        from . import index
        from .models import SearchPromotion, SearchSynonym

        # Synonyms and promotions change what search finds: every worker drops the
        # results it kept (and its synonym and promotion tables) when one is saved.
        content_version.invalidate_when_saved(SearchSynonym, SearchPromotion)

        # The databases' search indexes follow every save and delete of what search
        # covers (index.py); articles never hears of search.
        post_save.connect(index.article_saved, sender=Article, dispatch_uid="search_a")
        post_save.connect(index.faq_entry_saved, sender=FAQEntry, dispatch_uid="search_f")
        post_delete.connect(index.article_deleted, sender=Article, dispatch_uid="search_a_del")
        post_delete.connect(index.faq_entry_deleted, sender=FAQEntry, dispatch_uid="search_f_del")
        # Spanish translations (articles', FAQ answers') have an index of their own
        # (search/spanish.py). Deleting an English item deletes its translations, each with
        # its own post_delete.
        post_save.connect(
            index.translation_saved, sender=ArticleTranslation, dispatch_uid="search_t"
        )
        post_delete.connect(
            index.translation_deleted, sender=ArticleTranslation, dispatch_uid="search_t_del"
        )
        post_save.connect(
            index.faq_translation_saved, sender=FAQEntryTranslation, dispatch_uid="search_ft"
        )
        post_delete.connect(
            index.faq_translation_deleted, sender=FAQEntryTranslation, dispatch_uid="search_ft_del"
        )
        # What no save signal tells: pages rendered again with update() (care cards), and
        # many saves in a row (an import), after which the vocabulary is rebuilt once.
        articles_signals.rendered_again.connect(
            index.pages_rendered_again, dispatch_uid="search_rendered_again"
        )
        articles_signals.batch_started.connect(index.batch_started, dispatch_uid="search_batch")
        articles_signals.batch_finished.connect(
            index.batch_finished, dispatch_uid="search_batch_end"
        )
