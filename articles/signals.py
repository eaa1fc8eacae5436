"""Signals the articles app sends for others to listen to, so that it never imports them
(search keeps its index current through these and the models' own save signals)."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.dispatch import Signal

# Sent after pages' stored HTML was written again without a save (rerender() writes with
# update(), which sends no post_save), with `articles` and `entries` (FAQ entries), and
# their Spanish `translations` and `entry_translations` (FAQ answers'): what follows saves
# follows these too.
rendered_again = Signal()

# Sent before and after many saves in a row (an import): a listener may put off until the
# end what each save would repeat (search rebuilds its vocabulary once).
batch_started = Signal()
batch_finished = Signal()


@contextmanager
def saving_many() -> Iterator[None]:
    """Save many articles or FAQ entries; listeners hear when the batch starts and ends."""
    batch_started.send(sender=None)
    try:
        yield
    finally:
        batch_finished.send(sender=None)
