from django.apps import AppConfig
from django.core import checks


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinic details"

    def ready(self) -> None:
        from foundation import content_rendering, content_version

        from .crisis import check_phrases_file
        from .models import Clinician, ClinicProfile, Page, PageTranslation

        # Every public page shows the clinic profile; articles show clinicians.
        content_version.invalidate_when_saved(Clinician, ClinicProfile, Page, PageTranslation)
        # The editor's and the reviewer's previews render a page as its save does.
        content_rendering.register(
            Page, render=Page.rendered, render_item=Page.render, html_field="body_html"
        )
        content_rendering.register(
            PageTranslation,
            render=Page.rendered,
            render_item=PageTranslation.render,
            html_field="body_html",
        )
        # Where a page's Spanish version is (foundation.languages.spanish_version_of).
        from foundation import languages

        from .spanish import spanish_page_of

        languages.register_spanish_version("clinic.Page", spanish_page_of)
        # The contact form and search read content/crisis-phrases.yaml: checked at start-up.
        checks.register(check_phrases_file)
