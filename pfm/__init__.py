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
    "Scores": "pfm.analysis.scoring",
    "explain": "pfm.analysis.explanation",
    "Explanation": "pfm.analysis.explanation",
    "rank": "pfm.analysis.ranking",
    "Ranking": "pfm.analysis.ranking",
    "derive_weights": "pfm.methods.weights",
    "CriterionWeights": "pfm.methods.weights",
    "finance": "pfm.analysis.finances",
    "Finances": "pfm.analysis.finances",
}

if TYPE_CHECKING:
    from pfm.analysis.explanation import Explanation, explain
    from pfm.analysis.finances import Finances, finance
    from pfm.analysis.ranking import Ranking, rank
    from pfm.analysis.scenarios import apply_scenario
    from pfm.analysis.scoring import Scores, score
    from pfm.findings import Finding, Severity
    from pfm.methods.weights import CriterionWeights, derive_weights
    from pfm.model import Portfolio
    from pfm.validation.load import load_portfolio
    from pfm.validation.validator import Validation, validate

__all__ = [
    "CriterionWeights",
    "Explanation",
    "Finances",
    "Finding",
    "Portfolio",
    "Ranking",
    "Scores",
    "Severity",
    "Validation",
    "__version__",
    "apply_scenario",
    "derive_weights",
    "explain",
    "finance",
    "load_portfolio",
    "rank",
    "score",
    "validate",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'pfm' has no attribute {name!r}")
