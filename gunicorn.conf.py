"""gunicorn settings read from this folder (gunicorn loads ./gunicorn.conf.py by itself).

The access log is off unless turned on (`--access-logfile -` or accesslog here). When on,
each line holds: client address, time, method, path WITHOUT the query string, protocol,
status, response size and duration. Never the query string (search words are in it), the
referring page (it can be a search results address) or the user agent: so no search word
or comment ever sits in a log line next to an address. README: "Content insights".
"""

access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
