"""Site search over the published articles, the FAQ and (through their words) what the
glossary names: an app above `articles`, which never imports it.

DESIGN
- `query.py` reads a query (websearch syntax, words that carry no meaning, synonyms);
  `backends/sqlite.py` and `backends/postgresql.py` each own one database's index writes,
  its query and its typo candidates; `ranking.py` is the one ranking both share;
  `typos.py` corrects only what is misspelt; `results.py` makes snippets; `engine.py`
  puts them together (`search`). `index.py` keeps the indexes and the vocabulary current,
  hooked to articles' signals in `apps.py`. `views.py` is /search/.
- What visitors may see comes from `Article.objects.published()` only; every FAQ entry
  is visible.
- The models (synonyms, best bets, the vocabulary) keep their tables from when they were
  part of `articles`; the FTS5 tables and PostgreSQL's `search_document` columns and
  indexes stay where articles' migration 0008 made them. See docs/search.md.
"""
