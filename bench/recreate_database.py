"""Drop and create the PostgreSQL database named in a URL (bench/run's own databases only).

Usage: python bench/recreate_database.py postgres://user@host:5432/name
"""

import sys
from urllib.parse import urlsplit

import psycopg
from psycopg import sql


def main(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    server = url[: -len(name)] + "postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


if __name__ == "__main__":
    main(sys.argv[1])
