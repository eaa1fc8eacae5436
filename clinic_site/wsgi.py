"""WSGI entry point: `gunicorn clinic_site.wsgi`.

The page cache answers repeat visits to public pages before Django is involved at all
(foundation/page_cache.py); everything else goes on to Django.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_site.settings")

django_application = get_wsgi_application()

from foundation.page_cache import PageCache  # noqa: E402  (needs Django set up first)

application = PageCache(django_application)

# Everything loaded so far (Django, the apps, settings) lives as long as the worker. Left
# to the garbage collector, every full collection walks all of it again in the middle of
# some request; frozen, collections look only at what requests create.
gc.freeze()
