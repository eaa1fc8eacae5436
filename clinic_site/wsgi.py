"""WSGI entry point: `gunicorn clinic_site.wsgi`.

The page cache answers repeat visits to public pages before Django is involved at all
(clinic_site/page_cache.py); everything else goes on to Django.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_site.settings")

django_application = get_wsgi_application()

from clinic_site.page_cache import PageCache  # noqa: E402  (needs Django set up first)

application = PageCache(django_application)
