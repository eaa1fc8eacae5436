from axes.apps import AppConfig as AxesAppConfig


class SignInProtectionConfig(AxesAppConfig):
    """django-axes under a name staff recognise in the admin: to unlock someone, delete
    their row under "Sign-in protection › Access attempts"."""

    verbose_name = "Sign-in protection"
