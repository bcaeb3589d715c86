"""One portfolio, unique ids per kind, file names that match ids."""

from __future__ import annotations

from collections import Counter
from pathlib import PurePosixPath

from pfm.loading import ROOT_FILES, Document
from pfm.rules.context import Context


def check_identity(context: Context) -> None:
    """Index documents by kind and id, reporting duplicates, stray portfolios and mismatched file names."""
    per_file = Counter(document.file for document in context.documents)
    usable = {(document.file, document.index): document for document in context.usable}
    for document in context.documents:
        kind, ident = document.kind, document.id
        if kind is None or ident is None:
            continue
        seen = context.by_kind[kind]
        if ident in seen:
            first = seen[ident]
            context.report("id.duplicate", f"{kind} id '{ident}' is already used in {first.file}", document, ("id",))
            continue
        seen[ident] = usable.get((document.file, document.index), document)
        stem = PurePosixPath(document.file).stem
        if per_file[document.file] == 1 and stem != ident and kind != "Portfolio":
            context.report(
                "id.file-stem",
                f"file is named '{stem}' but its id is '{ident}'",
                document,
                ("id",),
                hint=f"rename the file to {ident}.yaml",
            )
    _check_single_portfolio(context)


def _check_single_portfolio(context: Context) -> None:
    portfolios = [d for d in context.documents if d.kind == "Portfolio"]
    for extra in portfolios[1:]:
        context.report(
            "portfolio.multiple",
            f"a second Portfolio document (the first is in {portfolios[0].file})",
            extra,
            ("kind",),
        )
    if not portfolios:
        root_file = next((d.file for d in context.documents if d.file in ROOT_FILES), ROOT_FILES[0])
        context.report(
            "portfolio.missing",
            f"{root_file} holds no Portfolio document",
            Document(root_file, 0, None),
            hint="start it with `kind: Portfolio`",
        )
    else:
        first = (portfolios[0].file, portfolios[0].index)
        context.portfolio = next((d.data for d in context.usable if (d.file, d.index) == first), {})
