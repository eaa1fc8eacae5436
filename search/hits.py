"""One match as the ranking sees it (search.ranking, search.ranked)."""

from dataclasses import dataclass


@dataclass(slots=True)  # not frozen: hundreds are made per search, five times as fast
class Hit:
    """One match as the ranking sees it (never changed once made)."""

    kind: str  # "article" or "faq"
    pk: int
    covered: int  # how many of the query's terms it holds
    score: float  # higher is better: the engine's, then the one ranking's (`score`)
    phrase: bool = False  # holds the typed words as one phrase (set by `score`)
    position: int = 0  # place among its kind by the engine's score
