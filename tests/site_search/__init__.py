"""Search on the databases' own engines (issue 17): FTS5 on SQLite, full-text search on
PostgreSQL. The suite runs on both (DATABASE_URL), so every test here holds on each."""
