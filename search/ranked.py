"""Every match of a search, best first, with the long tail made only when a page reaches it.

On a large site a search can match hundreds of pages, and a visitor reads the first ten.
The ranking (ordering.rank) orders the pages that need it: the best RESCORED of each kind,
scored from their text, and the few whose title or promotion lifts them. Every other match
keeps the engine's order, below the rescored pages of its kind, and is already in that
order: `RankedHits` keeps those as the engine's rows and makes their `Hit`s only when a
results page past the ranked ones is asked for (or the whole list is read).
"""

import heapq
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload

from .hits import Hit


@dataclass(frozen=True)
class Tail:
    """One kind's matches past the rescored ones, as the engine's rows (ranking.Row: page
    id third, terms held fourth), in the engine's order."""

    kind: str
    rows: list[tuple]
    start: int  # the engine position of the first row
    lifted: frozenset[int] = frozenset()  # pages of these rows the ranking placed itself

    def __len__(self) -> int:
        return len(self.rows) - len(self.lifted)

    def keys(self) -> Iterator[tuple[int, bool, int, int, str]]:
        """(position, not an article, page id, terms held, kind) of each row left."""
        not_article = self.kind != "article"
        for position, (_, _, pk, covered) in enumerate(self.rows, self.start):
            if pk not in self.lifted:
                yield position, not_article, pk, covered, self.kind


class RankedHits(Sequence[Hit]):
    """`before`, then the tails of both kinds merged (the same engine position: the
    article first), then `after` (ranked below the tail: pages holding fewer of the terms
    than it does)."""

    def __init__(
        self,
        before: list[Hit] | None = None,
        tails: dict[str, Tail] | None = None,
        after: list[Hit] | None = None,
    ) -> None:
        self.before = before or []
        self.tails = {kind: tail for kind, tail in (tails or {}).items() if len(tail)}
        self.after = after or []
        self._every: list[Hit] | None = None

    def __len__(self) -> int:
        return len(self.before) + sum(map(len, self.tails.values())) + len(self.after)

    def count_of(self, kind: str) -> int:
        """How many matches are pages of this kind ("article" or "faq")."""
        ranked = sum(hit.kind == kind for hit in self.before) + sum(
            hit.kind == kind for hit in self.after
        )
        return ranked + len(self.tails.get(kind, ()))

    @overload
    def __getitem__(self, index: int) -> Hit: ...
    @overload
    def __getitem__(self, index: slice) -> list[Hit]: ...
    def __getitem__(self, index):
        # The first results pages: only the ranked part, no tail made.
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step == 1 and stop <= len(self.before):
                return self.before[start:stop]
        elif 0 <= index < len(self.before):
            return self.before[index]
        return self.every()[index]

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.every())

    def every(self) -> list[Hit]:
        """The whole list (made once)."""
        if self._every is None:
            self._every = self.before + list(self.tail()) + self.after
        return self._every

    def tail(self) -> Iterator[Hit]:
        """The tails' hits in the ranking's order: by engine position, the article first."""
        merged = heapq.merge(*(tail.keys() for tail in self.tails.values()))
        for position, _, pk, covered, kind in merged:
            yield Hit(kind, pk, covered, -1.0, False, position)
