"""One portfolio, unique ids per kind, file names that match ids."""

from __future__ import annotations

import posixpath
from collections import Counter

from pfm.io.loading import ROOT_FILES, Document
from pfm.resources import FOLDERS
from pfm.validation.rules.context import Context


def check_identity(context: Context) -> None:
    """Index documents by kind and id, reporting duplicates, stray portfolios and mismatched file names."""
    per_file = Counter(document.file for document in context.documents)
    usable = {(document.file, document.index): document for document in context.usable}
    folded: dict[tuple[str, str], Document] = {}
    for document in context.documents:
        kind, ident = document.kind, document.id
        if kind is None or ident is None:
            continue
        seen = context.by_kind[kind]
        if ident in seen:
            first = seen[ident]
            context.report("id.duplicate", f"{kind} id '{ident}' is already used in {first.file}", document, ("id",))
            continue
        # Ids that differ only in case name the same file on Windows and macOS, and the same key in Excel.
        twin = folded.setdefault((kind, ident.casefold()), document)
        if twin is not document:
            context.report(
                "id.case",
                f"{kind} id '{ident}' differs only in case from '{twin.id}' in {twin.file}",
                document,
                ("id",),
                hint="ids are compared without case where files and spreadsheets are; use one spelling",
            )
        seen[ident] = usable.get((document.file, document.index), document)
        stem = posixpath.splitext(posixpath.basename(document.file))[0]
        if per_file[document.file] == 1 and stem != ident and kind in FOLDERS and kind != "Portfolio":
            context.report(
                "id.file-stem",
                f"file is named '{stem}' but its id is '{ident}'",
                document,
                ("id",),
                hint=f"rename the file to {ident}.yaml",
            )
    _check_single_portfolio(context)


def _check_single_portfolio(context: Context) -> None:
    """The Portfolio document in portfolio.yaml is the portfolio; any other is reported."""
    portfolios = sorted(
        (d for d in context.documents if d.kind == "Portfolio"),
        key=lambda d: (d.file not in ROOT_FILES, d.file, d.index),
    )
    root_file = next((name for name in ROOT_FILES if any(d.file == name for d in context.documents)), ROOT_FILES[0])
    if not portfolios or portfolios[0].file != root_file:
        context.report(
            "portfolio.missing",
            f"{root_file} holds no Portfolio document",
            Document(root_file, 0, None),
            hint="start it with `kind: Portfolio`",
        )
    for extra in portfolios[1:]:
        context.report(
            "portfolio.multiple",
            f"a second Portfolio document (the first is in {portfolios[0].file})",
            extra,
            ("kind",),
        )
    if portfolios:
        first = (portfolios[0].file, portfolios[0].index)
        context.portfolio = next((d.data for d in context.usable if (d.file, d.index) == first), {})
