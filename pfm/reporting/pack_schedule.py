"""The board pack's page "If starts may move": `pfm select --schedule` for the same portfolio and terms.

The page is solved only when the portfolio asks for it (`selection.may_shift`, or a start `window` on an
item): moving starts is a question for the board, not a default of every pack.
"""

from __future__ import annotations

from pfm.defaults import PACK_SCHEDULE_SETTLE
from pfm.methods import Method
from pfm.model import Portfolio
from pfm.selection.milp import Settle
from pfm.selection.schedule import ScheduledSelection, schedule_select

NAMED_IDS = 12  # items named in the sentences on items funded, dropped and placed


def asks_for_schedule(portfolio: Portfolio) -> bool:
    """Whether the portfolio asks what moving starts would buy: a `selection.may_shift`, or an item's `window`."""
    return portfolio.may_shift is not None or any(item.window is not None for item in portfolio.items.values())


def starts_may_move(
    portfolio: Portfolio, objective: Method, time_limit: float, commit_in_flight: bool
) -> ScheduledSelection | None:
    """`pfm select --schedule` on `portfolio` (its `selection.may_shift` the default shift), both solves within
    `time_limit` seconds together and settling for PACK_SCHEDULE_SETTLE's gap after its seconds; None when the
    portfolio does not ask for it."""
    if not asks_for_schedule(portfolio):
        return None
    return schedule_select(
        portfolio,
        objective,
        time_limit=time_limit,
        release_in_flight=not commit_in_flight,
        settle=Settle(*PACK_SCHEDULE_SETTLE),
    )
