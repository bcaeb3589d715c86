"""The link checker of a built site: every `href` and `src` of every page (and `xlink:href` of its inline charts)
must lead to a file inside the site.

Links to other sites are refused too: the site loads nothing from the network. A fragment (`#risk-x`) must
name an element of the page it points into, unless the page reads it as a filter (the portfolio table's).
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pfm.errors import UsageError

FILTERED = frozenset({"portfolio.html"})  # pages whose fragment is a filter, not an element's id


@dataclass(frozen=True, slots=True)
class BrokenLink:
    page: str  # relative to the site's folder
    target: str  # the href or src as written
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.target}: {self.reason}"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "xlink:href") and value is not None:  # the last in charts' SVG
                self.targets.append(value)
            elif name == "id" and value is not None:
                self.ids.add(value)


def check_links(folder: Path) -> list[BrokenLink]:
    """Every link of the HTML pages under `folder` that does not resolve to a file (and element) inside it; a
    UsageError when `folder` holds no site."""
    if not (folder / "index.html").is_file():
        raise UsageError(f"no site in {folder}: it has no index.html")
    root = folder.resolve()
    parsed: dict[Path, _Links] = {}
    for page in sorted(root.rglob("*.html")):
        links = _Links()
        links.feed(page.read_text(encoding="utf-8"))
        parsed[page] = links
    broken = []
    for page, links in parsed.items():
        for target in links.targets:
            reason = _problem(root, page, target, parsed)
            if reason:
                broken.append(BrokenLink(page.relative_to(root).as_posix(), target, reason))
    return broken


def _problem(root: Path, page: Path, target: str, parsed: dict[Path, _Links]) -> str:
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "leads outside the site"
    path = (page.parent / unquote(parts.path)).resolve() if parts.path else page
    if not path.is_relative_to(root):
        return "leads outside the site"
    if not path.is_file():
        return "no such file"
    if parts.fragment and path.name not in FILTERED:
        ids = parsed[path].ids if path in parsed else set()
        if unquote(parts.fragment) not in ids:
            return f"no element with id '{unquote(parts.fragment)}'"
    return ""
