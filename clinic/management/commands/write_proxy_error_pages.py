"""Write the pages nginx shows when it cannot ask the site: 413 (too large), 502/504 (the
site is not answering) and 503. Plain HTML with the crisis notice and the clinic's phone
from the clinic profile, and one small stylesheet; deploy/nginx-site.conf serves them from
var/proxy-errors/ with the site's security headers. Run again after the phone changes.
"""

from html import escape
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from clinic.models import ClinicProfile

PAGES = {
    "413.html": (
        "That was too large to send",
        "What you sent is larger than this site accepts. Please go back and send less, "
        "or a smaller picture.",
    ),
    "502.html": (
        "The site is not answering right now",
        "Something went wrong on our side. Please try again in a minute.",
    ),
    "503.html": (
        "The site is busy right now",
        "Please try again in a minute.",
    ),
}

STYLESHEET = """body { margin: 0; font: 1.125rem/1.5 system-ui, sans-serif; color: #1a1a1a; }
.crisis { background: #fff4e5; border-bottom: 2px solid #b54708; padding: 0.75rem 1rem; }
main { max-width: 40rem; margin: 0 auto; padding: 1.5rem 1rem; }
a { color: #0b5394; }
"""


def page(title: str, lead: str, profile: ClinicProfile) -> str:
    phone = escape(profile.phone)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} | {escape(profile.name)}</title>
<link rel="stylesheet" href="/_proxy-errors/error.css">
</head>
<body>
<div class="crisis" role="region" aria-label="Crisis help">
<p><strong>In crisis or thinking about suicide?</strong> Call or text <a href="tel:988">988</a>,
or call <a href="tel:911">911</a>. This site and its contact form are not for emergencies.</p>
</div>
<main>
<h1>{escape(title)}</h1>
<p>{escape(lead)}</p>
<ul>
<li><a href="/">Go to the home page</a></li>
<li>If you need to reach us now, call <a href="{escape(profile.phone_href)}">{phone}</a>.</li>
</ul>
</main>
</body>
</html>
"""


class Command(BaseCommand):
    help = "Write nginx's own error pages (413, 502, 503) with the clinic's phone."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--to",
            default=str(Path(settings.BASE_DIR) / "var" / "proxy-errors"),
            help="Folder to write them to (default: var/proxy-errors).",
        )

    def handle(self, *args, to: str, **options) -> None:
        folder = Path(to)
        folder.mkdir(parents=True, exist_ok=True)
        profile = ClinicProfile.load()
        for name, (title, lead) in PAGES.items():
            (folder / name).write_text(page(title, lead, profile), encoding="utf-8")
        (folder / "error.css").write_text(STYLESHEET, encoding="utf-8")
        self.stdout.write(f"Wrote {len(PAGES)} error pages for nginx to {folder}")
