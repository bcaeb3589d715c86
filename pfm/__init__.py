"""pfm: portfolio management as code.

    >>> import pfm
    >>> result = pfm.validate("example-portfolio")
    >>> portfolio = pfm.load_portfolio("example-portfolio")
    >>> ranking = pfm.rank(pfm.apply_scenario(portfolio, "regulatory-first"))
    >>> records = pfm.score(portfolio, method="wsjf").records()
    >>> planned = pfm.schedule_select(portfolio, may_shift=2)  # the items and their starts, chosen together

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
    "derive_weights": "pfm.methods.weights",
    "write_snapshot": "pfm.io.revisions",
    "import_files": "pfm.io.importing.plan",
    "ImportReport": "pfm.io.importing.plan",
    "export": "pfm.reporting.workbook",
    "export_tables": "pfm.reporting.export",
    "Export": "pfm.reporting.export",
    "Comparison": "pfm.review.comparison",
    "diff": "pfm.review.diff",
    "History": "pfm.review.history",
    "history": "pfm.review.history",
    "board_pack": "pfm.reporting.board_pack",
    "render_pack": "pfm.reporting.board_pack",
    "write_pack": "pfm.reporting.board_pack",
    "render_site": "pfm.reporting.site",
    "write_site": "pfm.reporting.site",
    "check_links": "pfm.reporting.site",
    "check_dependencies": "pfm.validation.dependency_check",
    "dependency_network": "pfm.analysis.network",
    "dependency_order": "pfm.analysis.network",
    "critical_path": "pfm.analysis.graph",
    "slip_impact": "pfm.analysis.network",
    "capacity_view": "pfm.analysis.capacity",
    "plan_roadmap": "pfm.analysis.roadmap",
    "roadmap_risk": "pfm.analysis.roadmap_risk",
    "RoadmapRisk": "pfm.analysis.roadmap_risk",
    "Scores": "pfm.analysis.scoring",
    "explain": "pfm.analysis.explanation",
    "Explanation": "pfm.analysis.explanation",
    "Ranking": "pfm.analysis.ranking",
    "CriterionWeights": "pfm.methods.weights",
    "finance": "pfm.analysis.finances",
    "Finances": "pfm.analysis.finances",
    "select": "pfm.selection.optimise",
    "Selection": "pfm.selection.explain",
    "schedule_select": "pfm.selection.schedule",
    "ScheduledSelection": "pfm.selection.schedule",
    "frontier": "pfm.selection.frontier",
    "Frontier": "pfm.selection.frontier",
    "compare_scenarios": "pfm.selection.scenario_comparison",
    "ScenarioComparison": "pfm.selection.scenario_comparison",
    "scenarios": "pfm.analysis.scenario_list",
    "ScenarioList": "pfm.analysis.scenario_list",
    "evm": "pfm.review.baselines",
    "EarnedValueReport": "pfm.analysis.evm",
    "status": "pfm.review.status",
    "StatusReport": "pfm.review.status",
    "spend": "pfm.analysis.spend",
    "SpendReport": "pfm.analysis.spend",
    "benefits": "pfm.analysis.benefits",
    "BenefitsReport": "pfm.analysis.benefits",
    "risks": "pfm.analysis.risks",
    "RiskRegister": "pfm.analysis.risks",
    "decisions": "pfm.review.decisions",
    "DecisionLog": "pfm.review.decisions",
    "kpis": "pfm.review.kpis",
    "kpi_history": "pfm.review.kpi_history",
    "KpiHistory": "pfm.review.kpi_history",
    "KpiReport": "pfm.review.kpis",
}

if TYPE_CHECKING:
    from pfm.analysis.benefits import BenefitsReport, benefits
    from pfm.analysis.capacity import capacity_view
    from pfm.analysis.evm import EarnedValueReport
    from pfm.analysis.explanation import Explanation, explain
    from pfm.analysis.finances import Finances, finance
    from pfm.analysis.graph import critical_path
    from pfm.analysis.network import dependency_network, dependency_order, slip_impact
    from pfm.analysis.ranking import Ranking, rank
    from pfm.analysis.risks import RiskRegister, risks
    from pfm.analysis.roadmap import plan_roadmap
    from pfm.analysis.roadmap_risk import RoadmapRisk, roadmap_risk
    from pfm.analysis.scenario_list import ScenarioList, scenarios
    from pfm.analysis.scenarios import apply_scenario
    from pfm.analysis.scoring import Scores, score
    from pfm.analysis.spend import SpendReport, spend
    from pfm.findings import Finding, Severity
    from pfm.io.importing.plan import ImportReport, import_files
    from pfm.io.revisions import write_snapshot
    from pfm.methods.weights import CriterionWeights, derive_weights
    from pfm.model import Portfolio
    from pfm.reporting.board_pack import board_pack, render_pack, write_pack
    from pfm.reporting.export import Export, export_tables
    from pfm.reporting.site import check_links, render_site, write_site
    from pfm.reporting.workbook import export
    from pfm.review.baselines import evm
    from pfm.review.comparison import Comparison
    from pfm.review.decisions import DecisionLog, decisions
    from pfm.review.diff import diff
    from pfm.review.history import History, history
    from pfm.review.kpi_history import KpiHistory, kpi_history
    from pfm.review.kpis import KpiReport, kpis
    from pfm.review.status import StatusReport, status
    from pfm.selection.explain import Selection
    from pfm.selection.frontier import Frontier, frontier
    from pfm.selection.optimise import select
    from pfm.selection.scenario_comparison import ScenarioComparison, compare_scenarios
    from pfm.selection.schedule import ScheduledSelection, schedule_select
    from pfm.validation.dependency_check import check_dependencies
    from pfm.validation.load import load_portfolio
    from pfm.validation.validator import Validation, validate

__all__ = [
    "BenefitsReport",
    "Comparison",
    "CriterionWeights",
    "DecisionLog",
    "EarnedValueReport",
    "Explanation",
    "Export",
    "Finances",
    "Finding",
    "Frontier",
    "History",
    "ImportReport",
    "KpiHistory",
    "KpiReport",
    "Portfolio",
    "Ranking",
    "RiskRegister",
    "RoadmapRisk",
    "ScenarioComparison",
    "ScenarioList",
    "ScheduledSelection",
    "Scores",
    "Selection",
    "Severity",
    "SpendReport",
    "StatusReport",
    "Validation",
    "__version__",
    "apply_scenario",
    "benefits",
    "board_pack",
    "capacity_view",
    "check_dependencies",
    "check_links",
    "compare_scenarios",
    "critical_path",
    "decisions",
    "dependency_network",
    "dependency_order",
    "derive_weights",
    "diff",
    "evm",
    "explain",
    "export",
    "export_tables",
    "finance",
    "frontier",
    "history",
    "import_files",
    "kpi_history",
    "kpis",
    "load_portfolio",
    "plan_roadmap",
    "rank",
    "render_pack",
    "render_site",
    "risks",
    "roadmap_risk",
    "scenarios",
    "schedule_select",
    "score",
    "select",
    "slip_impact",
    "spend",
    "status",
    "validate",
    "write_pack",
    "write_site",
    "write_snapshot",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'pfm' has no attribute {name!r}")
