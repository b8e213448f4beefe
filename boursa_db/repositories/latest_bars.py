"""``market_data_latest`` kept by the bulk writes: one merge per batch instead of a trigger per bar.

Migration 0017 keeps the newest bar of each symbol and interval in ``market_data_latest``, with
row triggers on ``market_data`` for every write. A trigger call per bar would make a COPY about
thirty times slower, so a bulk write of the library first tells the triggers to leave its rows
alone (``market_data_latest_defer``, local to the transaction) and, once the batch is written,
merges the newest bar of each key of the batch in one statement, which also turns the triggers
back on. Both happen in the batch's transaction (or savepoint): a batch rolled back leaves the
table as it was, the deferral included.

What the merge writes follows from the conflict mode. A batch bar newer than the stored latest
bar of its key was written in every mode (no stored bar is newer, so none had its key). A batch
bar at the stored latest time was skipped by ``SKIP`` (the stored bar stays the latest) and
replaced by ``UPDATE`` (so it becomes the latest; ``FAIL`` never gets this far with one). Keys
are merged in key order, so two batches sharing keys lock their latest rows in the same order.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from boursa_db.domain.market import MarketBar
from boursa_db.repositories.copying import ConflictMode

if TYPE_CHECKING:
    from boursa_db.connection import Connection
    from boursa_db.query_types import Queries

__all__ = ["merge_newest_bars", "newest_of_each"]

_KEY = operator.attrgetter("symbol", "interval_type._value_")


def newest_of_each(bars: list[MarketBar], positions: Sequence[int]) -> list[MarketBar]:
    """Of ``bars[i]`` for ``i`` in ``positions``, the newest bar of each key, in key order.

    Of two bars with one key and time the later in the batch wins, as it does in the table.
    """
    newest: dict[tuple[str, str], MarketBar] = {}
    held = newest.get
    for bar in map(bars.__getitem__, positions):
        key = _KEY(bar)
        kept = held(key)
        if kept is None or bar.time >= kept.time:
            newest[key] = bar
    return [newest[key] for key in sorted(newest)]


async def merge_newest_bars(
    queries: Queries,
    connection: Connection,
    bars: list[MarketBar],
    positions: Sequence[int],
    mode: ConflictMode,
) -> None:
    """Merge the newest bar of each key of a written batch into ``market_data_latest``."""
    newest = newest_of_each(bars, positions)
    await queries.market_data_latest_merge(
        connection,
        times=[bar.time for bar in newest],
        symbols=[bar.symbol for bar in newest],
        interval_types=[bar.interval_type.value for bar in newest],
        opens=[bar.open for bar in newest],
        highs=[bar.high for bar in newest],
        lows=[bar.low for bar in newest],
        closes=[bar.close for bar in newest],
        # The generated types take array elements as non-null; a bar without an adjusted close
        # is a NULL element, which the column takes.
        adjusted_closes=cast("list[float]", [bar.adjusted_close for bar in newest]),
        volumes=[bar.volume for bar in newest],
        sources=[bar.source for bar in newest],
        replace_equal=mode is ConflictMode.UPDATE,
    )
