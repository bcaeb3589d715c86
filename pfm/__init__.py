"""pfm: portfolio management as code.

>>> import pfm
>>> result = pfm.validate("example-portfolio")
>>> portfolio = pfm.load_portfolio("example-portfolio")
"""

from __future__ import annotations

__version__ = "0.1.0"

from pfm.findings import Finding, Severity
from pfm.model import Portfolio, load_portfolio
from pfm.validation import Validation, validate

__all__ = ["Finding", "Portfolio", "Severity", "Validation", "__version__", "load_portfolio", "validate"]
