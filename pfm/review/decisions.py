"""The decision log (`pfm decisions`): every decision newest first, the decisions pending, those past their forum
date with no outcome, and the pending ones that ask about items the recommended selection leaves out.

Conventions (docs/methods.md, "Decision log"): the recommendation is `pfm select`'s (weighted by default, the
approved and in-flight work committed); a decision is at odds with it when it is pending and names an item the
recommendation leaves out. (A decision does not say whether it would stop an item: `outcome` is only "pending"
until the forum decides, so the reverse cannot be read from it.) A pending decision is overdue when its `date`,
the forum it was put to, is before the status date. An action is open until it is `done`, and overdue when it is
open and its `due` date is before the status date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from pfm.analysis.evm import required_status_date
from pfm.defaults import SELECT_TIME_LIMIT
from pfm.methods import Method
from pfm.model import Decision, Portfolio
from pfm.records import Action
from pfm.results import Result
from pfm.selection.explain import Exclusion, Selection
from pfm.selection.optimise import select


@dataclass(frozen=True, slots=True)
class AtOdds:
    """A pending decision that names items the recommendation leaves out: the forum is asked to fund, or to choose
    among, what the optimiser would not."""

    decision: Decision
    left_out: tuple[Exclusion, ...]  # the decision's items the recommended selection leaves out, with why

    def to_dict(self) -> dict[str, Any]:
        """The decision's id and each item left out with the reasons."""
        return {
            "decision": self.decision.id,
            "left_out": [{"item": e.id, "reasons": list(e.reasons)} for e in self.left_out],
        }


@dataclass(frozen=True, slots=True)
class OpenAction:
    """An action of a decision not yet done, and whether it is past its due date at the status date."""

    decision: Decision
    action: Action
    overdue: bool

    def to_dict(self) -> dict[str, Any]:
        """The decision's id, the action, its owner and due date, and whether it is overdue."""
        a = self.action
        return {
            "decision": self.decision.id,
            "action": a.action,
            "owner": a.owner,
            "due": a.due,
            "overdue": self.overdue,
        }


def open_actions(portfolio: Portfolio, day: date) -> tuple[OpenAction, ...]:
    """The actions not done, by due date (then decision id), each overdue when due before `day`."""
    found = (
        OpenAction(d, a, date.fromisoformat(a.due) < day)
        for d in portfolio.decisions.values()
        for a in d.actions
        if not a.done
    )
    return tuple(sorted(found, key=lambda o: (o.action.due, o.decision.id)))


def pending_decisions(portfolio: Portfolio) -> tuple[Decision, ...]:
    """The decisions the forums are asked to take (outcome: pending), oldest first (then by id)."""
    return tuple(
        sorted((d for d in portfolio.decisions.values() if d.outcome == "pending"), key=lambda d: (d.date, d.id))
    )


def at_odds(pending: Iterable[Decision], selection: Selection) -> tuple[AtOdds, ...]:
    """The pending decisions, in their order, that name items `selection` leaves out (none when it found none)."""
    out = {e.id: e.unpriced() for e in selection.not_selected} if selection.found else {}
    found = (AtOdds(d, tuple(out[i] for i in d.items if i in out)) for d in pending)
    return tuple(odds for odds in found if odds.left_out)


@dataclass(frozen=True, slots=True)
class DecisionLog(Result):
    """The decision log at a status date: every decision newest first, the pending ones and those at odds."""

    as_of: date
    decisions: tuple[Decision, ...]  # newest first, then by id
    pending: tuple[Decision, ...]  # oldest first
    at_odds: tuple[AtOdds, ...]
    objective: str  # the method the recommendation maximises
    actions: tuple[OpenAction, ...]  # the open actions, by due date

    @property
    def overdue_actions(self) -> tuple[OpenAction, ...]:
        """Open actions past their due date (what `pfm decisions --check` fails on, with the decisions at odds)."""
        return tuple(o for o in self.actions if o.overdue)

    @property
    def overdue(self) -> tuple[Decision, ...]:
        """Pending decisions whose forum date is before the status date."""
        return tuple(d for d in self.pending if date.fromisoformat(d.date) < self.as_of)

    def to_dict(self) -> dict[str, Any]:
        """What `pfm decisions -f json` prints."""
        return {
            "as_of": self.as_of.isoformat(),
            "objective": self.objective,
            "decisions": self.records(),
            "pending": [d.id for d in self.pending],
            "overdue": [d.id for d in self.overdue],
            "at_odds": [odds.to_dict() for odds in self.at_odds],
            "open_actions": [o.to_dict() for o in self.actions],
            "overdue_actions": len(self.overdue_actions),
        }

    def records(self) -> list[dict[str, Any]]:
        """One row per decision, newest first; its items and conditions joined by "; "."""
        return [
            {
                "id": d.id,
                "date": d.date,
                "forum": d.forum,
                "outcome": d.outcome,
                "title": d.title,
                "items": "; ".join(d.items),
                "decided_by": d.decided_by,
                "conditions": "; ".join(d.conditions),
            }
            for d in self.decisions
        ]


def decisions(
    portfolio: Portfolio,
    as_of: date | None = None,
    *,
    objective: Method = "weighted",
    time_limit: float = SELECT_TIME_LIMIT,
    recommendation: Selection | None = None,
) -> DecisionLog:
    """The decision log at the status date (`as_of`, else the portfolio's): every decision newest first, the
    pending ones, those past their forum date, those asking about items `pfm select`'s recommendation
    (maximising `objective`) leaves out (the selection is run only when a decision is pending, unless given as
    `recommendation`: `pfm select`'s, in-flight work committed, priced or not), and the actions not done,
    overdue when past their due date."""
    day = required_status_date(portfolio, as_of)
    log = sorted(portfolio.decisions.values(), key=lambda d: d.id)
    log.sort(key=lambda d: d.date, reverse=True)
    pending = pending_decisions(portfolio)
    odds: tuple[AtOdds, ...] = ()
    if pending:
        chosen = recommendation or select(
            portfolio, objective, entry_prices=0, mandate_cost=False, time_limit=time_limit
        )
        odds = at_odds(pending, chosen)
    return DecisionLog(day, tuple(log), pending, odds, objective, open_actions(portfolio, day))
