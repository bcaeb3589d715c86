"""The site rendered in memory: every page through the pack's sandboxed templates, with the pack's charts.

Pages are `templates/site/*.html.j2`, the stylesheet and the script `templates/site/site.css` and
`site.js`; a portfolio overrides any of them with a file of the same name in its own `templates/site/`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from markupsafe import Markup

from pfm.errors import UsageError
from pfm.io.file_sets import replace_folder
from pfm.parallel import Progress
from pfm.reporting.board_pack import pack_context
from pfm.reporting.pack import Pack
from pfm.reporting.pack_charts import draw_charts
from pfm.reporting.site.content import ItemPage, item_pages
from pfm.reporting.templating import Sandbox, TemplateFailure, environment, render
from pfm.review.history import History

ASSETS = ("site.css", "site.js")  # copied as they are into assets/
MARKER = ".pfm-site"  # the file that marks a folder as a site pfm may replace


@dataclass(frozen=True, slots=True)
class Page:
    file: str  # relative to the site's folder
    title: str


def pages(pack: Pack) -> tuple[Page, ...]:
    """The site's pages besides the items', in the order of its navigation; changes only with `--since`."""
    found = [
        Page("index.html", "Home"),
        Page("portfolio.html", "Portfolio"),
        Page("roadmap.html", "Roadmap"),
        Page("dependencies.html", "Dependencies"),
        Page("capacity.html", "Capacity"),
        Page("frontier.html", "Frontier"),
        Page("risks.html", "Risks"),
        Page("decisions.html", "Decisions"),
    ]
    return tuple(found + ([Page("changes.html", "Changes")] if pack.changes is not None else []))


def render_site(pack: Pack, progress: Progress | None = None, history: History | None = None) -> dict[str, str]:
    """Every file of the site by its path relative to the site's folder; with `history` (`pfm.history` of the
    portfolio), each item page lists the item's rank, score and cost at every commit that changed the portfolio."""
    env = environment(pack.portfolio.root, pack.portfolio.currency)
    env.filters["slug"] = slug
    items = item_pages(pack)
    navigation = pages(pack)
    context = {
        **pack_context(pack, draw_charts(pack, _item_file), "charts"),
        "items": items,
        "navigation": navigation,
        "filters": _filters(pack, items),
        "history": history.points if history is not None else (),
        "order": list(dict.fromkeys([*(row.id for row in pack.ranking), *items])),  # ranked first, by rank
    }
    files = {f"assets/{name}": _source(env, f"site/{name}") for name in ASSETS}
    total = len(navigation) + len(items)
    for number, page in enumerate(navigation, 1):
        files[page.file] = render(env, f"site/{page.file}.j2", {**context, "root": "", "page": page})
        _report(progress, number, total)
    for number, (ident, item) in enumerate(items.items(), len(navigation) + 1):
        page = Page(f"items/{ident}.html", item.item.title)
        files[page.file] = render(env, "site/item.html.j2", {**context, "root": "../", "page": page, "entry": item})
        _report(progress, number, total)
    return files


def slug(text: str) -> Markup:
    """Text fit for a file name, an element's id or a link to it: every character but letters, digits and
    `-._~` percent-encoded (and printed as it is, without the break opportunities of long words)."""
    return Markup(quote(str(text), safe=""))


def _item_file(ident: str) -> str:
    """An item's page as a chart's mark links to it: from a page at the top of the site (charts are shown there)."""
    return f"items/{slug(ident)}.html"


def _report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and (done % 50 == 0 or done == total):
        progress(done, total)


def _source(env: Sandbox, name: str) -> str:
    """A file of the templates folders as it is, not rendered: the portfolio's first, then pfm's."""
    if env.loader is None:  # pragma: no cover - `environment` always gives one
        raise TemplateFailure(f"no template '{name}'")
    try:
        return env.loader.get_source(env, name)[0]
    except LookupError:
        raise TemplateFailure(f"no template '{name}' in templates/ or pfm's own") from None


def _filters(pack: Pack, items: Mapping[str, ItemPage]) -> dict[str, list[tuple[str, str]]]:
    """The values the portfolio table can be filtered by, each as (value, label)."""
    portfolio = pack.portfolio
    used = [page for page in items.values() if page.item.type != "programme"]
    programmes = sorted({page.programme for page in used if page.programme})
    teams = sorted({team for page in used for team in page.teams})
    return {
        "programme": [(p, portfolio.items[p].title) for p in programmes],
        "stage": [(s.name, s.name) for s in portfolio.stages if any(page.stage == s.name for page in used)],
        "tag": [(tag, tag) for tag in sorted({tag for page in used for tag in page.item.tags})],
        "team": [(t, portfolio.teams[t].title if t in portfolio.teams else t) for t in teams],
    }


def check_site_folder(folder: Path) -> None:
    """Refuse a folder that holds anything but an earlier site (a new or empty folder is fine): the site replaces
    its folder whole, so `-o .` in a portfolio must never take the portfolio with it."""
    if folder.is_dir() and not (folder / MARKER).is_file() and any(folder.iterdir()):
        raise UsageError(f"{folder} holds files that are not a site pfm wrote: give a new or empty folder")


def write_site(files: Mapping[str, str], folder: Path) -> Path:
    """The site's files written as `folder`, replacing it whole: a reader sees the old site or the new one. A
    folder that holds other files is refused (`check_site_folder`); the site's own marker file says it is one."""
    check_site_folder(folder)
    return replace_folder(folder, {**files, MARKER: "A site written by pfm site: rebuilt whole on every run.\n"})
