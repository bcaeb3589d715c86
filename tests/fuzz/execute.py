"""Run every analysis pfm offers on a (mutated) portfolio and collect what breaks its promises.

The promise: bad input gets findings or a PfmError; anything else escaping is a bug, as is a
warning (the suite runs with warnings as errors), a step that outlives its deadline, a selection
that breaks a constraint (checked by tests/fuzz/constraints.py), a non-finite result, and through
the CLI an exit code 3, a traceback or JSON that is not plain JSON.
"""

from __future__ import annotations

import math
import signal
import threading
import traceback
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pfm
from pfm.errors import PfmError

from .constraints import selection_problems

T = TypeVar("T")
PFM_DIR = Path(pfm.__file__).resolve().parent
STEP_SECONDS = 30.0  # a step's deadline: solves are limited to 1 s each, a handful per step
METHODS = ("weighted", "wsjf", "rice", "npv", "formula")
SOLVE_SECONDS = 1.0


class Hang(BaseException):
    """A step ran past its deadline (a BaseException, so no `except Exception` in pfm swallows it)."""


@dataclass(frozen=True)
class Problem:
    kind: str  # exception, hang, unverified selection, non-finite result, cli exit 3, cli traceback, cli json
    step: str
    error: str  # the exception's type, or the broken promise in general words
    location: str  # the innermost pfm frame, "pfm/x.py:12 in f"
    detail: str  # the message and traceback, or every constraint broken

    @property
    def key(self) -> tuple[str, str, str]:
        return self.kind, self.error, self.location

    def headline(self) -> str:
        return f"{self.kind}: {self.error} at {self.location or '?'} during {self.step}"


@dataclass
class Run:
    """The steps run on one portfolio and the problems found."""

    deadline: float = STEP_SECONDS
    steps: int = 0
    refused: int = 0  # steps that ended in a PfmError: a correct answer to bad input
    problems: list[Problem] = field(default_factory=list)

    def step(self, label: str, work: Callable[[], T]) -> T | None:
        self.steps += 1
        try:
            with _deadline(self.deadline), warnings.catch_warnings():
                warnings.simplefilter("error")
                return work()
        except PfmError:
            self.refused += 1
        except Hang as error:
            self.problems.append(from_exception("hang", label, error))
        except Exception as error:
            self.problems.append(from_exception("exception", label, error))
        return None


def from_exception(kind: str, label: str, error: BaseException) -> Problem:
    frames = [f for f in traceback.extract_tb(error.__traceback__) if _in_pfm(f.filename)]
    where = f"{_relative(frames[-1].filename)}:{frames[-1].lineno} in {frames[-1].name}" if frames else ""
    text = "".join(traceback.format_exception(error))
    return Problem(kind, label, type(error).__name__, where, text)


def _in_pfm(filename: str) -> bool:
    return Path(filename).resolve().is_relative_to(PFM_DIR)


def _relative(filename: str) -> str:
    return "pfm/" + Path(filename).resolve().relative_to(PFM_DIR).as_posix()


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise Hang(f"still running after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def analyse(run: Run, root: Path, charts: bool = False) -> bool:
    """Validate; when valid, every analysis under the base and each scenario. True when it was valid."""
    from pfm.analysis.scenarios import apply_scenario
    from pfm.validation.load import load_portfolio
    from pfm.validation.validator import validate

    checked = run.step("validate", lambda: validate(root))
    if checked is None or not checked.ok:
        return False
    base = run.step("load_portfolio", lambda: load_portfolio(root))
    if base is None:
        return True
    for name in (None, *sorted(base.scenarios)):
        portfolio = run.step(f"apply_scenario {name}", lambda name=name: apply_scenario(base, name))
        if portfolio is not None:
            _analyses(run, portfolio, f" [scenario {name}]" if name else "")
    _whole(run, base, charts)
    return True


def _analyses(run: Run, portfolio: Any, tag: str) -> None:
    from pfm.analysis.capacity import ALL_OPEN, capacity_view
    from pfm.analysis.finance import portfolio_metrics, totals_by_year
    from pfm.analysis.ranking import measure_stability as sensitivity
    from pfm.analysis.ranking import rank
    from pfm.analysis.roadmap import plan_roadmap
    from pfm.analysis.scoring import score
    from pfm.methods.weights import derive_weights
    from pfm.reporting.gantt import mermaid_gantt, text_gantt

    for method in METHODS:
        scores = run.step(f"score {method}{tag}", lambda method=method: score(portfolio, method))
        if scores is not None:
            _finite(run, f"score {method}{tag}", [s.score for s in scores.items])
        ranking = run.step(f"rank {method}{tag}", lambda method=method: rank(portfolio, method))
        if ranking is not None and method in ("weighted", "npv"):
            run.step(f"rank {method} --sensitivity{tag}", lambda ranking=ranking: sensitivity(portfolio, ranking, 8, 3))
        if scores is not None:
            _select(run, portfolio, scores.values(), method, tag)
    if portfolio.scoring is not None:
        for way in ("eigenvector", "geometric-mean"):
            run.step(f"weights {way}{tag}", lambda way=way: derive_weights(portfolio.scoring, method=way))
    run.step(f"finance{tag}", lambda: (portfolio_metrics(portfolio), totals_by_year(portfolio)))
    run.step(f"capacity{tag}", lambda: (capacity_view(portfolio), capacity_view(portfolio, ALL_OPEN)))
    ranking = run.step(f"rank for roadmap{tag}", lambda: rank(portfolio))
    order = [r.id for r in ranking.items] if ranking is not None else None
    roadmap = run.step(f"roadmap{tag}", lambda: plan_roadmap(portfolio, order=order))
    if roadmap is not None:
        run.step(f"roadmap drawn{tag}", lambda: (mermaid_gantt(portfolio, roadmap), text_gantt(portfolio, roadmap)))
    _graph(run, portfolio, tag)


def _graph(run: Run, portfolio: Any, tag: str) -> None:
    from pfm.analysis.graph import critical_edges, critical_path, dependency_graph, impact, layers
    from pfm.analysis.network import Network, drawing
    from pfm.reporting.diagrams import to_dot, to_mermaid

    graph = run.step(f"deps graph{tag}", lambda: dependency_graph(portfolio))
    if graph is None:
        return
    run.step(f"deps order{tag}", lambda: layers(graph))
    path = run.step(f"deps path{tag}", lambda: critical_path(graph))
    if path is not None:

        def draw() -> tuple[str, str, dict[str, Any]]:
            nodes, links = drawing(portfolio, graph, critical_edges(graph, path))
            return to_mermaid(nodes, links), to_dot(nodes, links), Network(tuple(nodes), tuple(links)).to_dict()

        run.step(f"deps graph drawn{tag}", draw)
    for ident in sorted(portfolio.items)[:3]:
        run.step(f"deps impact {ident}{tag}", lambda ident=ident: impact(graph, ident, 2))


def _select(run: Run, portfolio: Any, values: dict[str, float], method: str, tag: str) -> None:
    from pfm.selection.greedy import greedy_portfolio
    from pfm.selection.optimise import select_portfolio
    from pfm.selection.program import Terms

    variants: list[tuple[str, Any]] = [("", Terms())]
    if method == "weighted":
        top = max(values, key=lambda ident: (values[ident], ident), default=None)
        variants += [
            (" --budget-scale 0.5 --release-in-flight", Terms(budget_scale=0.5, commit_in_flight=False)),
            (f" --force-out {top}", Terms(force_out=(top,) if top else ())),
        ]
    for words, terms in variants:
        label = f"select -m {method}{words}{tag}"
        chosen = run.step(
            label,
            lambda terms=terms: select_portfolio(
                portfolio, values, terms, objective=method, time_limit=SOLVE_SECONDS, entry_prices=2
            ),
        )
        verify(run, label, portfolio, chosen, values, terms)
    if method == "weighted":
        label = f"select -m weighted --method greedy{tag}"
        verify(run, label, portfolio, run.step(label, lambda: greedy_portfolio(portfolio, values)), values, Terms())


def verify(run: Run, label: str, portfolio: Any, chosen: Any, values: dict[str, float] | None, terms: Any) -> None:
    """Record the constraints a returned selection breaks, by an independent check."""
    if (
        chosen is None
        or values is None
        or chosen.status == "infeasible"
        or (chosen.status == "time-limit" and chosen.gap is None)
    ):
        return
    _finite(run, label, [chosen.value])
    broken = selection_problems(
        portfolio,
        chosen.selected,
        values,
        chosen.value,
        budget_scale=terms.budget_scale,
        force_in=terms.force_in,
        force_out=terms.force_out,
        commit_in_flight=terms.commit_in_flight,
    )
    if broken:
        run.problems.append(Problem("unverified selection", label, _general(broken[0]), "", "\n".join(broken)))


def _general(message: str) -> str:
    """A broken constraint in words without its ids and figures, to group alike failures."""
    for word in ("budget", "team", "prerequisite", "depends on", "mandatory", "in flight", "forced out", "exclude"):
        if word in message:
            return f"{word} constraint broken"
    return message.split(":", maxsplit=1)[0] if message.startswith("value") else message.split(" is ", 1)[-1]


def _finite(run: Run, label: str, numbers: list[float | None]) -> None:
    bad = [n for n in numbers if n is not None and not math.isfinite(n)]
    if bad:
        run.problems.append(Problem("non-finite result", label, f"{bad[0]!r} returned", "", repr(bad[:10])))


def _whole(run: Run, base: Any, charts: bool) -> None:
    from pfm.analysis.scenarios import apply_scenario
    from pfm.analysis.scoring import score
    from pfm.io.revisions import Provenance
    from pfm.reporting.pack import Options, build_pack
    from pfm.selection.frontier import frontier_of as frontier
    from pfm.selection.program import Terms
    from pfm.selection.scenario_comparison import BASE, compare_scenarios

    values = run.step("score for frontier", lambda: score(base).values())
    if values is not None:
        run.step("frontier --points 3", lambda: frontier(base, values, 3, time_limit=SOLVE_SECONDS))
    names = [BASE, *sorted(base.scenarios)]
    compared = run.step("scenario compare", lambda: compare_scenarios(base, names, time_limit=SOLVE_SECONDS))
    for outcome in compared.outcomes if compared is not None else ():
        label = f"scenario compare {outcome.scenario}"
        changed = run.step(label, lambda name=outcome.scenario: apply_scenario(base, None if name == BASE else name))
        if changed is not None:
            verify(
                run,
                label,
                changed,
                outcome.selection,
                run.step(label, lambda changed=changed: score(changed).values()),
                Terms(),
            )
    origin = Provenance(None, None, False, None)
    pack = run.step("report", lambda: build_pack(base, None, origin, options=Options(time_limit=SOLVE_SECONDS)))
    if pack is not None:
        values = run.step("report", lambda: score(pack.portfolio).values())
        verify(run, "report selection", pack.portfolio, pack.selection, values, Terms())
        run.step("report markdown" + (" with charts" if charts else ""), lambda: _markdown(pack, charts))


def _markdown(pack: Any, charts: bool) -> str:
    from pfm.reporting.board_pack import pack_context, render_pack
    from pfm.reporting.templating import environment, render

    if charts:
        text = render_pack(pack, formats=["md"]).files["board-pack.md"]
        assert isinstance(text, str)
        return text
    # The charts take seconds to draw; the template without them still reads every figure.
    env = environment(pack.portfolio.root, pack.portfolio.currency)
    return render(env, "board-pack.md.j2", pack_context(pack, {}, "board-pack-charts"))
