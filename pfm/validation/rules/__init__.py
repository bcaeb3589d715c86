"""Cross-file rules: what a schema alone cannot see."""

from __future__ import annotations

from collections.abc import Sequence

from pfm.findings import Problem
from pfm.io.loading import Document
from pfm.validation.rules.context import Context
from pfm.validation.rules.dependencies import check_dependencies
from pfm.validation.rules.identity import check_identity
from pfm.validation.rules.items import check_items
from pfm.validation.rules.references import check_references
from pfm.validation.rules.scoring_model import check_portfolio_declarations, check_scenario_weights
from pfm.validation.rules.tracking import check_tracking


def check_cross_file(documents: Sequence[Document], usable: Sequence[Document]) -> list[Problem]:
    """Problems across documents; `usable` holds what of each document passes its schema."""
    context = Context(list(documents), list(usable))
    check_identity(context)
    check_portfolio_declarations(context)
    check_references(context)
    check_scenario_weights(context)
    check_items(context)
    check_dependencies(context)
    check_tracking(context)
    return context.problems
