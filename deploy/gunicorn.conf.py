"""gunicorn settings for the site: `gunicorn clinic_site.wsgi --config deploy/gunicorn.conf.py`.

Used by deploy/clinic-gunicorn.service and by scripts/production-check. Options given on
the command line (e.g. --bind) override these.
"""

from pathlib import Path

bind = "127.0.0.1:8000"
workers = 3
# A worker silent for this long is killed and replaced. Nothing in a request waits on
# another server for long: mail is sent outside requests (inquiries/services.py), and
# EMAIL_TIMEOUT (10 s) is well under this anyway.
timeout = 30
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (with jitter, so not all at once).
max_requests = 5000
max_requests_jitter = 500

# What no request may change, and what the access log may hold: the project folder's
# gunicorn.conf.py, which every gunicorn started from the project folder reads (tests and
# bench/run too).
exec((Path(__file__).resolve().parent.parent / "gunicorn.conf.py").read_text())

errorlog = "-"
loglevel = "warning"
