from axes.apps import AppConfig as AxesAppConfig


class SignInProtectionConfig(AxesAppConfig):
    """django-axes under a name staff recognise in the admin: to unlock someone, delete
    their row under "Sign-in protection › Access attempts"."""

    verbose_name = "Sign-in protection"

    def ready(self) -> None:
        super().ready()
        from . import checks  # noqa: F401  (registers the site's deploy checks)
