"""The risk register (`pfm risks`): every risk with its exposure, the reviews overdue at the status date, exposure
summed per item and per programme, and the probability x impact matrix.

Conventions (docs/methods.md, "Risk register"): exposure = probability x impact (1-25); a risk is live while it
is open or being mitigated; a live risk is overdue for review when its review date is before the status date.
Sums and the matrix count the live risks only; a risk counts once towards each programme it names (the
programmes it names directly and the `parent` of each item it names).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pfm.analysis.evm import required_status_date
from pfm.model import Portfolio, Risk
from pfm.results import Result

HIGH_EXPOSURE = 15  # probability x impact: the red zone of a 5x5 matrix
OPEN_RISK = ("open", "mitigating")
MEDIUM_EXPOSURE = 5  # the amber zone: 5 to 14
SCALE = range(1, 6)
Zone = Literal["low", "medium", "high"]


def zone(exposure: int) -> Zone:
    """The zone of the 5x5 matrix an exposure falls in: high from HIGH_EXPOSURE, medium from MEDIUM_EXPOSURE."""
    return "high" if exposure >= HIGH_EXPOSURE else "medium" if exposure >= MEDIUM_EXPOSURE else "low"


def open_risks(portfolio: Portfolio) -> tuple[Risk, ...]:
    """Risks still open or being mitigated, highest exposure first (then impact, then id)."""
    live = (r for r in portfolio.risks.values() if r.status in OPEN_RISK)
    return tuple(sorted(live, key=lambda r: (-r.exposure, -r.impact, r.id)))


def review_overdue(risk: Risk, day: date) -> bool:
    """Whether `risk` is open or mitigating and its review date is before `day`."""
    return risk.status in OPEN_RISK and risk.review_date is not None and date.fromisoformat(risk.review_date) < day


@dataclass(frozen=True, slots=True)
class RiskEntry:
    """One risk on the register, with the programmes it names and whether its review is overdue."""

    risk: Risk
    programmes: tuple[str, ...]
    overdue: bool

    def to_dict(self) -> dict[str, Any]:
        """The risk's fields by name, its exposure and overdue flag included."""
        r = self.risk
        return {
            "id": r.id,
            "title": r.title,
            "probability": r.probability,
            "impact": r.impact,
            "exposure": r.exposure,
            "status": r.status,
            "owner": r.owner,
            "category": r.category,
            "review_date": r.review_date,
            "overdue": self.overdue,
            "items": list(r.items),
            "programmes": list(self.programmes),
        }


@dataclass(frozen=True, slots=True)
class RiskRegister(Result):
    """The register at a status date: live risks first by exposure, then the accepted and closed ones."""

    as_of: date
    risks: tuple[RiskEntry, ...]
    by_item: tuple[tuple[str, int], ...]  # item id, summed exposure of its live risks; highest first
    by_programme: tuple[tuple[str, int], ...]  # programme id, summed exposure of the live risks naming it

    @property
    def live(self) -> tuple[RiskEntry, ...]:
        """The open and mitigating risks."""
        return tuple(e for e in self.risks if e.risk.status in OPEN_RISK)

    @property
    def overdue(self) -> tuple[RiskEntry, ...]:
        """The live risks whose review date is before the status date."""
        return tuple(e for e in self.risks if e.overdue)

    @property
    def breaches(self) -> tuple[RiskEntry, ...]:
        """Live risks of exposure HIGH_EXPOSURE or more past their review date (what `--check` fails on)."""
        return tuple(e for e in self.overdue if e.risk.exposure >= HIGH_EXPOSURE)

    @property
    def exposure(self) -> int:
        """The summed exposure of the live risks."""
        return sum(e.risk.exposure for e in self.live)

    @property
    def matrix(self) -> tuple[tuple[int, ...], ...]:
        """Live risks counted per cell: one row per impact, 5 down to 1; one column per probability, 1 to 5."""
        cells = Counter((e.risk.impact, e.risk.probability) for e in self.live)
        return tuple(tuple(cells[impact, p] for p in SCALE) for impact in reversed(SCALE))

    def to_dict(self) -> dict[str, Any]:
        """What `pfm risks -f json` prints."""
        return {
            "as_of": self.as_of.isoformat(),
            "exposure": self.exposure,
            "overdue": [e.risk.id for e in self.overdue],
            "breaches": [e.risk.id for e in self.breaches],
            "risks": [e.to_dict() for e in self.risks],
            "by_item": [{"item": i, "exposure": x} for i, x in self.by_item],
            "by_programme": [{"programme": p, "exposure": x} for p, x in self.by_programme],
            "matrix": {"impact": list(reversed(SCALE)), "probability": list(SCALE), "counts": self.matrix},
        }

    def records(self) -> list[dict[str, Any]]:
        """One row per risk, its items and programmes joined by "; "."""
        rows = []
        for entry in self.risks:
            row = entry.to_dict()
            rows.append(row | {"items": "; ".join(row["items"]), "programmes": "; ".join(row["programmes"])})
        return rows


def risks(portfolio: Portfolio, as_of: date | None = None) -> RiskRegister:
    """The risk register at the status date (`as_of`, else the portfolio's): every risk with its exposure, owner,
    review date and whether the review is overdue, the exposure per item and per programme, and the P x I matrix."""
    day = required_status_date(portfolio, as_of)
    live = set(OPEN_RISK)
    ordered = sorted(portfolio.risks.values(), key=lambda r: (r.status not in live, -r.exposure, -r.impact, r.id))
    entries = tuple(RiskEntry(r, _programmes(portfolio, r), review_overdue(r, day)) for r in ordered)
    items: Counter[str] = Counter()
    programmes: Counter[str] = Counter()
    for entry in entries:
        if entry.risk.status in live:
            items.update(dict.fromkeys(entry.risk.items, entry.risk.exposure))
            programmes.update(dict.fromkeys(entry.programmes, entry.risk.exposure))
    return RiskRegister(day, entries, _ranked(items), _ranked(programmes))


def _programmes(portfolio: Portfolio, risk: Risk) -> tuple[str, ...]:
    named = set()
    for ident in risk.items:
        item = portfolio.items.get(ident)
        if item is not None and item.type == "programme":
            named.add(ident)
        elif item is not None and item.parent:
            named.add(item.parent)
    return tuple(sorted(named))


def _ranked(sums: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(sums.items(), key=lambda entry: (-entry[1], entry[0])))
