"""Read, validate and build: the one call that turns a folder into a Portfolio."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from pfm.errors import PortfolioInvalid
from pfm.findings import Severity
from pfm.model import Portfolio
from pfm.validation.building import build_portfolio
from pfm.validation.validator import collector_paused, validate


def load_portfolio(path: Path | str | None = None, *, tolerate: Collection[str] = ()) -> Portfolio:
    """Read, validate and build the portfolio at `path`; raises PortfolioInvalid when it has errors.

    Errors confined to files of scenarios do not stop it: those scenarios are left out, and
    named with their first error in `unusable_scenarios`, so the rest can still be analysed.
    Errors of the rules in `tolerate` do not stop it either: a command that explains such an
    error (`pfm weights` for inconsistent judgements) needs the model that has it.
    """
    with collector_paused():
        result = validate(path)
        unusable = result.scenario_errors()
        left_out = {finding.file for finding in unusable.values()}
        if any(
            f.severity == Severity.ERROR and f.file not in left_out and f.rule not in tolerate for f in result.findings
        ):
            raise PortfolioInvalid(result.findings)
        portfolio = build_portfolio(result.root, [d for d in result.documents if d.file not in left_out])
    reasons = {ident: f"{f.location_text()}: {f.message}" for ident, f in sorted(unusable.items())}
    return replace(portfolio, unusable_scenarios=MappingProxyType(reasons)) if reasons else portfolio
