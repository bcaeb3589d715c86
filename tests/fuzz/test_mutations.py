"""Mutated portfolios break none of pfm's promises: a short, fixed run of the mutation fuzzer.

Each example mutates one or two values of a valid portfolio (tests/fuzz/mutations.py), then
validates it and, when it is still valid, runs every analysis, checks every selection with an
independent checker and, for some, runs the commands through the CLI (tests/fuzz/execute.py,
tests/fuzz/cli.py). The long run is `python -m tests.fuzz.run --mutations 10000 --seed N`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, Phase, event, given, note, seed, settings
from hypothesis import strategies as st

from .cli import run_commands
from .execute import Run, analyse
from .mutations import corpus, draw_case

T = TypeVar("T")
SOURCES = corpus()


class DataChooser:
    """Choices drawn by hypothesis, which can replay them."""

    def __init__(self, data: st.DataObject) -> None:
        self.data = data

    def pick(self, options: Sequence[T], label: str) -> T:
        return self.data.draw(st.sampled_from(options), label=label)


def test_the_corpus_is_valid() -> None:
    assert len(SOURCES) >= 5
    for source in SOURCES:
        run = Run()
        assert analyse(run, source.root), source.name
        assert run.problems == [], (source.name, [p.headline() for p in run.problems])


@pytest.mark.fuzz
@seed(2027)  # the same 150 mutations on every run, whatever else changes in this file
@settings(
    max_examples=150,
    database=None,
    deadline=None,  # each step has its own deadline (execute.STEP_SECONDS)
    phases=(Phase.explicit, Phase.generate),  # a mutation is already small: no time spent shrinking it
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_mutations_break_no_promise(data: st.DataObject) -> None:
    case = draw_case(DataChooser(data), SOURCES)
    through_cli = data.draw(st.integers(0, 5), label="cli") == 0
    note(f"mutation: {case.describe()}")
    with tempfile.TemporaryDirectory(prefix="pfm-fuzz-") as tmp:
        root = case.mutant.write(Path(tmp))
        run = Run()
        valid = analyse(run, root)
        event("still valid: every analysis ran" if valid else "invalid: validated only")  # --hypothesis-show-statistics
        if through_cli:
            run_commands(run, root, case.format, min(case.mutant.source.ids, default=None), valid=valid)
    if run.problems:
        problems = "\n\n".join(f"{p.headline()}\n{p.detail}" for p in run.problems)
        pytest.fail(f"{case.describe()}\n\n{problems}", pytrace=False)
