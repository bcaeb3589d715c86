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
    "load_portfolio": "pfm.model",
    "Validation": "pfm.validation",
    "validate": "pfm.validation",
    "apply_scenario": "pfm.scenarios",
    "score": "pfm.scoring",
    "rank": "pfm.ranking",
    "sensitivity": "pfm.ranking",
    "derive_weights": "pfm.weights",
    "portfolio_metrics": "pfm.finance",
    "totals_by_year": "pfm.finance",
}

if TYPE_CHECKING:
    from pfm.finance import portfolio_metrics, totals_by_year
    from pfm.findings import Finding, Severity
    from pfm.model import Portfolio, load_portfolio
    from pfm.ranking import rank, sensitivity
    from pfm.scenarios import apply_scenario
    from pfm.scoring import score
    from pfm.validation import Validation, validate
    from pfm.weights import derive_weights

__all__ = [
    "Finding",
    "Portfolio",
    "Severity",
    "Validation",
    "__version__",
    "apply_scenario",
    "derive_weights",
    "load_portfolio",
    "portfolio_metrics",
    "rank",
    "score",
    "sensitivity",
    "totals_by_year",
    "validate",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'pfm' has no attribute {name!r}")
