"""The one query an article page makes when the page cache does not hold it.

Every column of the article but its search document (PostgreSQL's, which the page never
shows), by slug, in one SELECT written out once. Building that SELECT through the ORM on
every visit took longer than running it; so did a raw() queryset, which works out again
on every call which column is which field and how each value is converted. Here that is
worked out once per database connection (`PageQuery`), and a visit runs the SQL, converts
the values the way the ORM does and builds the Article with `Model.from_db`, as any
queryset does (the search document is left deferred).
"""

import weakref
from typing import NamedTuple

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field
from django.db.models.expressions import Col

from .models import Article


class PageQuery(NamedTuple):
    sql: str
    attnames: list[str]  # the columns' fields, in order (Model.from_db's field_names)
    converters: list[tuple[int, list, Col]]  # (position, converter functions, column)


# One per connection: a converter may be bound to its connection's operations.
page_queries: "weakref.WeakKeyDictionary[BaseDatabaseWrapper, PageQuery]" = (
    weakref.WeakKeyDictionary()
)


def article_for_page(slug: str, using: str = "default") -> Article | None:
    """The article at this address, for its page (published or not), or None."""
    connection = connections[using]
    query = page_query(connection)
    with connection.cursor() as cursor:
        cursor.execute(query.sql, [slug])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for position, functions, column in query.converters:
        for convert in functions:
            values[position] = convert(values[position], column, connection)
    return Article.from_db(using, query.attnames, values)


def page_query(connection: BaseDatabaseWrapper) -> PageQuery:
    query = page_queries.get(connection)
    if query is None:
        query = page_queries[connection] = build_page_query(connection)
    return query


def build_page_query(connection: BaseDatabaseWrapper) -> PageQuery:
    meta = Article._meta
    fields: list[Field] = [f for f in meta.concrete_fields if f.name != "search_document"]
    quote = connection.ops.quote_name  # "order" is a keyword in SQL
    columns = ", ".join(quote(field.column) for field in fields)
    sql = f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {quote('slug')} = %s"
    converters = []
    for position, field in enumerate(fields):
        column = field.get_col(meta.db_table)
        # What SQLCompiler.get_converters finds: the backend's, then the field's own.
        functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if functions:
            converters.append((position, functions, column))
    return PageQuery(sql, [field.attname for field in fields], converters)
