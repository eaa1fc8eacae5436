"""gunicorn reads ./gunicorn.conf.py by itself when started from this folder: the site's
settings are the shipped ones in deploy/gunicorn.conf.py (options on the command line, such
as --bind and --workers, still win)."""

from pathlib import Path

exec((Path(__file__).parent / "deploy" / "gunicorn.conf.py").read_text())
