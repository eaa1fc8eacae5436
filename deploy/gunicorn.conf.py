"""gunicorn settings for the site: `gunicorn clinic_site.wsgi --config deploy/gunicorn.conf.py`.

Used by deploy/clinic-gunicorn.service and by scripts/production-check. Options given on
the command line (e.g. --bind) override these.
"""

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

# Nothing in a request may set what the WSGI environ says about where the site is mounted.
# gunicorn by default takes SCRIPT_NAME and PATH_INFO from request headers sent from
# forwarded_allow_ips (127.0.0.1, where nginx is): a "SCRIPT_NAME: /evil" header then put
# /evil/ in front of every link on the page. No forwarder headers, from anyone.
forwarder_headers = ""
# No address may set gunicorn's idea of the scheme either: Django reads X-Forwarded-Proto
# itself (DJANGO_SECURE_PROXY_SSL_HEADER), which nginx always sets.
forwarded_allow_ips = ""
# Headers with underscores (X_Forwarded_For next to X-Forwarded-For) are dropped, never
# merged into the same environ key. gunicorn's default, stated here on purpose.
header_map = "drop"

# Access log: the reverse proxy keeps it (without query strings: search terms are health
# information next to an address). gunicorn logs only errors. If it is turned on
# (`--access-logfile -`), each line holds: client address, time, method, path WITHOUT the
# query string, protocol, status, response size and duration. Never the query string
# (search words are in it), the referring page (it can be a search results address) or the
# user agent: so no search word or comment ever sits in a log line next to an address.
accesslog = None
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = "warning"
