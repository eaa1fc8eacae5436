"""The checks of scripts/production-check, run against nginx (deploy/) in front of two
gunicorn instances. Talks only to 127.0.0.x. Prints each check; exits 1 if any failed.

Visitors are told apart by the loopback address they connect from (127.0.0.2, 127.0.0.3...):
nginx sees each as its own client and sets X-Forwarded-For from it, as it would for
visitors on the internet.
"""
