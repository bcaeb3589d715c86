"""Two versions of a portfolio compared as `pfm diff` compares them: read from git revisions, folders or snapshot
files, validated, each side's optimal selection solved, then compared.

Old revisions are read from git's object store into temporary folders (pfm.io.revisions), never through a
checkout; the folders are removed once both sides are read, however the reading ends.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from pfm.analysis.scoring import score
from pfm.errors import PortfolioNotFound
from pfm.io.loading import resolve_root
from pfm.io.revisions import materialise
from pfm.methods import Method
from pfm.parallel import Progress
from pfm.review.comparison import Comparison, Side, compare, read_side

WORKING_TREE = "working tree"


def diff(
    base: str,
    head: str | None = None,
    *,
    root: Path | str | None = None,
    scenario: str | None = None,
    method: Method = "weighted",
    top: int = 10,
    selection: bool = True,
    time_limit: float = 10.0,
    progress: Progress | None = None,
) -> Comparison:
    """What changed from `base` to `head` (the working tree when None), as `pfm diff` reports it.

    Each is a git revision of the repository holding the portfolio at `root` (found from the working
    directory when None), a portfolio folder or a snapshot file. `scenario` is applied to both sides; ranks
    use `method` and report who enters or leaves the `top`; with `selection`, both sides' optimal selections
    (as `pfm select` makes them, maximising `method`) are compared too, each solve stopped at `time_limit`.
    """
    folder = _working_root(Path(root) if root is not None else None, head)
    with materialise(base, folder) as (old_folder, old_label), _side_folder(head, folder) as (new_folder, new_label):
        old, new = read_side(old_folder, old_label, scenario), read_side(new_folder, new_label, scenario)
    old_selected = new_selected = None
    notes: list[str] = []
    if selection and old.portfolio is not None and new.portfolio is not None:  # else compare says why
        (old_selected, old_note), (new_selected, new_note) = (
            selected_items(side, method, time_limit, _part(progress, number)) for number, side in enumerate((old, new))
        )
        notes = [note for note in (old_note, new_note) if note]
    return compare(old, new, method=method, top=top, old_selected=old_selected, new_selected=new_selected, notes=notes)


def _working_root(root: Path | None, head: str | None) -> Path:
    """The working tree's portfolio folder: HEAD's default, and the folder whose repository a revision is read from.

    When both sides are given and no root is, they may be folders or snapshots, which need no portfolio here.
    """
    try:
        return resolve_root(root)
    except PortfolioNotFound:
        if head is None or root is not None:
            raise
        return Path.cwd()


def _side_folder(spec: str | None, root: Path) -> AbstractContextManager[tuple[Path, str]]:
    return materialise(spec, root) if spec is not None else nullcontext((root, WORKING_TREE))


def _part(progress: Progress | None, number: int) -> Progress | None:
    """Progress of one of the two solves, reported as part of both."""
    if progress is None:
        return None
    return lambda done, total: progress(number * total + done, 2 * total)


def selected_items(
    side: Side, method: Method, time_limit: float, progress: Progress | None = None
) -> tuple[frozenset[str] | None, str | None]:
    """The items of the side's optimal selection (as `pfm select` makes it, maximising `method`), and a note.

    None when there is nothing to compare: the side has errors (compare says so), or no selection
    fits (the note says why). A selection stopped by the time limit is kept, with a note, since the
    reviewer should know that a change in it may be the solver's rather than the portfolio's.
    """
    from pfm.selection.optimise import select_portfolio

    if side.portfolio is None:
        return None, None
    values = score(side.portfolio, method).values()
    selection = select_portfolio(
        side.portfolio,
        values,
        entry_prices=0,
        mandate_cost=False,
        time_limit=time_limit,
        objective=method,
        progress=progress,
    )
    if selection.status == "infeasible":
        conflicts = f" (conflicting: {', '.join(selection.conflicts)})" if selection.conflicts else ""
        return None, f"selection not compared: {side.label} has no feasible selection{conflicts}"
    if selection.status == "time-limit":
        gap = f", within {selection.gap:.2%} of the optimum" if selection.gap is not None else ""
        return frozenset(selection.selected), f"the selection of {side.label} stopped at the time limit{gap}"
    return frozenset(selection.selected), None
