"""Sparklines: a KPI's trend as a small inline SVG line, no axes and no text, to sit in a tile beside its figure."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import dropwhile

from markupsafe import Markup

from pfm.reporting.figures import GREY, NAVY
from pfm.reporting.pack_health import Health

WIDTH, HEIGHT, PAD = 120.0, 28.0, 3.0  # pixels; the pad keeps the end dot inside


def sparkline(values: Sequence[float | None], target: float | None = None) -> Markup:
    """`values` (oldest first; None a gap, a commit without a figure) from the first figure on, as a line scaled
    to their range and the `target`'s, the target a dashed grey rule and the latest value a dot; empty with fewer
    than two figures."""
    values = list(dropwhile(lambda value: value is None, values))  # commits before the first figure
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return Markup("")
    span = [*known, *([target] if target is not None else [])]
    low, high = min(span), max(span)
    scale = (HEIGHT - 2 * PAD) / (high - low) if high > low else 0.0
    step = (WIDTH - 2 * PAD) / (len(values) - 1)

    def y(value: float) -> float:
        return HEIGHT - PAD - (value - low) * scale if scale else HEIGHT / 2

    runs: list[list[str]] = [[]]
    for n, value in enumerate(values):
        if value is None:
            runs.append([])
        else:
            runs[-1].append(f"{PAD + n * step:.1f},{y(value):.1f}")
    lines = "".join(
        f'<polyline points="{" ".join(run)}" fill="none" stroke="{NAVY}" stroke-width="1.5"/>' for run in runs if run
    )
    rule = (
        f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(target):.1f}" y2="{y(target):.1f}" stroke="{GREY}" '
        'stroke-dasharray="3,2" stroke-width="1"/>'
        if target is not None
        else ""
    )
    last = next(n for n in range(len(values) - 1, -1, -1) if values[n] is not None)
    latest = values[last]
    assert latest is not None
    dot = f'<circle cx="{PAD + last * step:.1f}" cy="{y(latest):.1f}" r="2.2" fill="{NAVY}"/>'
    return Markup(
        f'<svg class="sparkline" role="img" aria-label="Trend over {len(values)} commits" width="{WIDTH:g}" '
        f'height="{HEIGHT:g}" viewBox="0 0 {WIDTH:g} {HEIGHT:g}">{rule}{lines}{dot}</svg>'
    )


def kpi_sparklines(health: Health | None) -> dict[str, Markup]:
    """Each KPI's trend over git (`Health.trends`) as a sparkline with its target; none outside git."""
    if health is None or health.trends is None:
        return {}
    targets = {k.id: k.target for k in health.kpis.kpis}
    return {ident: sparkline(values, targets.get(ident)) for ident, values in health.trends.items()}
