"""Create one demo account per staff role and print their passwords once (a laptop's
first hour with the site, never production): scripts/run calls it after create_demo_admin.

- editor: "Editor" (writes and edits articles and the FAQ; cannot publish unreviewed text);
- reviewer: "Clinical reviewer", with a Clinician linked to the account (Approve records a
  review in a clinician's name, so it is refused without one);
- frontdesk: "Front desk" (reads and answers inquiries);
- manager: "Clinic manager" (reads /admin/insights/).
The groups come from the apps' migrations; this only puts a new account in each.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from clinic.models import Clinician

ACCOUNTS = [
    ("editor", "Editor", "writes and edits articles and FAQ entries"),
    ("reviewer", "Clinical reviewer", "reviews and approves articles (a linked clinician)"),
    ("frontdesk", "Front desk", "reads and answers inquiries from the contact form"),
    ("manager", "Clinic manager", "reads content insights (/admin/insights/)"),
]
REVIEWER_CLINICIAN = {"name": "Dr. Demo Reviewer", "credentials": "MD (demo account)"}


class Command(BaseCommand):
    help = "Create demo accounts for each staff role, with random passwords printed once."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "create_demo_accounts is for local development (DJANGO_DEBUG=True). In "
                "production, create each person's own account in the admin (Users)."
            )
        User = get_user_model()
        admin_url = f"{settings.SITE_URL}/{settings.ADMIN_URL}"
        created = []
        for username, group_name, what in ACCOUNTS:
            if User.objects.filter(username=username).exists():
                self.stdout.write(f"The demo account '{username}' ({group_name}) already exists.")
                continue
            group = Group.objects.filter(name=group_name).first()
            if group is None:
                raise CommandError(f"The group '{group_name}' is missing: run migrate first.")
            password = secrets.token_urlsafe(12)
            user = User.objects.create_user(
                username, f"{username}@example.com", password, is_staff=True
            )
            user.groups.add(group)
            if username == "reviewer":
                Clinician.objects.create(user=user, **REVIEWER_CLINICIAN)
            created.append(f"  {username:<10} {password:<18} {group_name}: {what}")
        if created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo staff accounts created. Sign in at {admin_url}\n"
                    "  username   password           role\n"
                    + "\n".join(created)
                    + "\n(shown only this once; change one with manage.py changepassword NAME)"
                )
            )
