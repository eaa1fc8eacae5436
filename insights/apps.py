from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = "Content insights"

    def ready(self) -> None:
        from search.signals import search_done

        from .counting import record_search

        # The search app says a search happened; it does not know this app exists.
        search_done.connect(record_search, dispatch_uid="insights-record-search")
