from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinic details"

    def ready(self) -> None:
        from clinic_site import page_cache

        from .models import Clinician, ClinicProfile, Page

        # Every public page shows the clinic profile; articles show clinicians.
        page_cache.invalidate_when_saved(Clinician, ClinicProfile, Page)
