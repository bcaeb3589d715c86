"""pfm: portfolio management as code.

    >>> import pfm
    >>> result = pfm.validate("example-portfolio")
    >>> portfolio = pfm.load_portfolio("example-portfolio")
    >>> ranking = pfm.rank(pfm.apply_scenario(portfolio, "regulatory-first"))
    >>> records = pfm.score(portfolio, method="wsjf").records()

The public names are imported on first use, so `pfm --help` starts fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Finding": "pfm.findings",
    "Severity": "pfm.findings",
    "Portfolio": "pfm.model",
    "load_portfolio": "pfm.validation.load",
    "Validation": "pfm.validation.validator",
    "validate": "pfm.validation.validator",
    "apply_scenario": "pfm.analysis.scenarios",
    "score": "pfm.analysis.scoring",
    "rank": "pfm.analysis.ranking",
    "sensitivity": "pfm.analysis.ranking",
    "derive_weights": "pfm.methods.weights",
    "portfolio_metrics": "pfm.analysis.finance",
    "totals_by_year": "pfm.analysis.finance",
    "select": "pfm.selection.optimise",
    "Selection": "pfm.selection.explain",
    "frontier": "pfm.selection.frontier",
    "Frontier": "pfm.selection.frontier",
    "compare_scenarios": "pfm.selection.scenario_comparison",
    "ScenarioComparison": "pfm.selection.scenario_comparison",
    "scenarios": "pfm.analysis.scenario_list",
    "ScenarioList": "pfm.analysis.scenario_list",
}

if TYPE_CHECKING:
    from pfm.analysis.finance import portfolio_metrics, totals_by_year
    from pfm.analysis.ranking import rank, sensitivity
    from pfm.analysis.scenario_list import ScenarioList, scenarios
    from pfm.analysis.scenarios import apply_scenario
    from pfm.analysis.scoring import score
    from pfm.findings import Finding, Severity
    from pfm.methods.weights import derive_weights
    from pfm.model import Portfolio
    from pfm.selection.explain import Selection
    from pfm.selection.frontier import Frontier, frontier
    from pfm.selection.optimise import select
    from pfm.selection.scenario_comparison import ScenarioComparison, compare_scenarios
    from pfm.validation.load import load_portfolio
    from pfm.validation.validator import Validation, validate

__all__ = [
    "Finding",
    "Frontier",
    "Portfolio",
    "ScenarioComparison",
    "ScenarioList",
    "Selection",
    "Severity",
    "Validation",
    "__version__",
    "apply_scenario",
    "compare_scenarios",
    "derive_weights",
    "frontier",
    "load_portfolio",
    "portfolio_metrics",
    "rank",
    "scenarios",
    "score",
    "select",
    "sensitivity",
    "totals_by_year",
    "validate",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'pfm' has no attribute {name!r}")
