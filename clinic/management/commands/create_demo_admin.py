"""Create a local demo admin account and print its login (for a laptop, never production)."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"


class Command(BaseCommand):
    help = "Create the demo superuser 'admin' with a random password, printed once."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "create_demo_admin is for local development (DJANGO_DEBUG=True). "
                "In production use: python manage.py createsuperuser"
            )
        User = get_user_model()
        admin_url = f"{settings.SITE_URL}/{settings.ADMIN_URL}"
        if User.objects.filter(username=USERNAME).exists():
            self.stdout.write(
                f"The demo admin account '{USERNAME}' already exists ({admin_url}). "
                f"To set a new password: .venv/bin/python manage.py changepassword {USERNAME}"
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(USERNAME, "admin@example.com", password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo admin account created. Log in at {admin_url}\n"
                f"  username: {USERNAME}\n  password: {password}\n"
                "(shown only this once; change it with manage.py changepassword admin)"
            )
        )
