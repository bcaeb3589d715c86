"""pfm: portfolio management as code.

    >>> import pfm
    >>> result = pfm.validate("example-portfolio")
    >>> portfolio = pfm.load_portfolio("example-portfolio")

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
}

if TYPE_CHECKING:
    from pfm.findings import Finding, Severity
    from pfm.model import Portfolio, load_portfolio
    from pfm.validation import Validation, validate

__all__ = ["Finding", "Portfolio", "Severity", "Validation", "__version__", "load_portfolio", "validate"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'pfm' has no attribute {name!r}")
