"""Staff's part of search: synonyms (patients' words) and best bets. Both change what a
search finds at once: saving one empties every worker's kept results (search/apps.py)."""

from django.contrib import admin

from .models import SearchPromotion, SearchSynonym


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    """Words patients use for the same thing: a search for one finds pages with any."""

    list_display = ["terms"]
    search_fields = ["terms"]


@admin.register(SearchPromotion)
class SearchPromotionAdmin(admin.ModelAdmin):
    """Best bets: an article shown first for a search, whatever else it finds."""

    list_display = ["query", "article", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["query", "article__title"]
    autocomplete_fields = ["article"]
