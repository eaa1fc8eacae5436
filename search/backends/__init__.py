"""One module per database, each owning everything only that database does:

- its index writes (`write`, `remove`, `clear`): what keeps its own index of the articles
  and FAQ entries current;
- its query (`term_matches`): the pages holding one term of a query (any of its names),
  each with the engine's own score; search/matching.py puts the terms together;
- its typo candidates (`candidates`): words the site uses that look like a word typed.

Everything else (what a query means, the one ranking, snippets) is the same for both and
lives outside this package. `current()` is the backend of the database in use.
"""

from types import ModuleType

from django.db import connection


def current() -> ModuleType:
    from . import postgresql, sqlite

    return postgresql if connection.vendor == "postgresql" else sqlite
