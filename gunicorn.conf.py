"""gunicorn reads ./gunicorn.conf.py by itself when started from this folder (tests,
bench/run, a laptop). These settings hold for every gunicorn of the site; production adds
its tuning in deploy/gunicorn.conf.py, which reads this file first.
"""

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
