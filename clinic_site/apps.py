from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig


class SignInProtectionConfig(AxesAppConfig):
    """django-axes under a name staff recognise in the admin: to unlock someone, delete
    their row under "Sign-in protection › Access attempts"."""

    verbose_name = "Sign-in protection"


class PageCacheConfig(AppConfig):
    """The project package as an app, only so the page cache can hook into model saves."""

    name = "clinic_site"
    verbose_name = "Page cache"

    def ready(self) -> None:
        from .page_cache import connect_signals

        connect_signals()
