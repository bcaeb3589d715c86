"""Errors in using pfm (as opposed to findings, which are problems in the user's data)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pfm.wording import counted

if TYPE_CHECKING:
    from pfm.findings import Finding


class PfmError(Exception):
    """Base class of every error pfm raises on purpose."""

    exit_code = 2


class UsageError(PfmError):
    """A bad option, argument or combination of them."""


class PortfolioNotFound(PfmError):
    """No portfolio.yaml at the given folder or above the working directory."""


class ScenarioInvalid(PfmError):
    """A scenario that cannot be applied: its file has errors, or it leaves nothing to score by."""

    exit_code = 1

    def __init__(self, scenario: str, reason: str) -> None:
        self.scenario, self.reason = scenario, reason
        super().__init__(f"scenario '{scenario}' cannot be applied: {reason}")


_READING = ("file.", "yaml.", "document.")


class PortfolioInvalid(PfmError):
    """The portfolio has errors, so no model can be built from it."""

    exit_code = 1

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = tuple(findings)
        errors = [f for f in self.findings if f.severity == "error"]
        # A file that could not be read is the cause of the errors it leaves behind (its ids "not an item"), so it comes first.
        first = min(errors, key=lambda f: not f.rule.startswith(_READING), default=None)
        where = f": first at {first.location_text()}: {first.message}" if first else ""
        super().__init__(f"the portfolio has {counted(len(errors), 'error')}{where}; run `pfm validate`")


class PortfolioUnreadable(PfmError):
    """A folder of the portfolio cannot be read, so its files would be missing from every result."""


class Unrepresentable(PfmError):
    """A figure of the portfolio the optimiser cannot weigh faithfully (not finite, or too far from the others)."""

    exit_code = 1


class NoSelection(PfmError):
    """No selection fits the budget and capacity (or none was found in time), so nothing is recommended."""

    exit_code = 1


class SolverError(PfmError):
    """The solver failed, or returned a selection that breaks a constraint: a defect, never reported as a result."""

    exit_code = 3
