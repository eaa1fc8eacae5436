from django.apps import AppConfig


class InquiriesConfig(AppConfig):
    name = "inquiries"
    verbose_name = "Inquiries from the contact form"

    def ready(self) -> None:
        from clinic_site.search_limit import never_limit_searches_for

        from .crisis import suggests_crisis

        # A search for help in a crisis is never refused by the search limit.
        never_limit_searches_for(suggests_crisis)
