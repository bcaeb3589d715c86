"""HTML to PDF with WeasyPrint, loading nothing from outside the portfolio folder and pfm's templates.

A template may show a logo or use a font from the portfolio's folder; it may not reach the
network or any other file on the machine (`file:///etc/passwd`, `../../secrets`), because the
pack is rendered in CI from templates anyone can propose in a pull request.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from pfm.resources import TEMPLATE_FOLDER, resource_dir

ALLOWED_SCHEMES = ("file", "data")


@dataclass(frozen=True, slots=True)
class Pdf:
    content: bytes
    pages: int
    refused: tuple[str, ...]  # URLs the document asked for and was not given


def to_pdf(html: str, root: Path) -> Pdf:
    """The document as PDF; relative URLs resolve from the portfolio folder `root`."""
    with warnings.catch_warnings():
        # Without the HarfBuzz subsetting library WeasyPrint writes 40 % slower and says so on import;
        # that is the machine's business, not the reader's.
        warnings.filterwarnings("ignore", "HarfBuzz-Subset", DeprecationWarning)
        from weasyprint import HTML

    fetcher = confined_fetcher([root, resource_dir(TEMPLATE_FOLDER)])
    with _quiet_weasyprint():
        document = HTML(string=html, base_url=root.resolve().as_uri() + "/", url_fetcher=fetcher).render()
        content = document.write_pdf()
    return Pdf(content, len(document.pages), tuple(dict.fromkeys(fetcher.refused)))


def confined_fetcher(folders: Sequence[Path]) -> Any:
    """A WeasyPrint URL fetcher for `data:` URLs and files inside `folders` only; it lists what it refused."""
    from weasyprint.urls import URLFetcher

    roots = [folder.resolve() for folder in folders]

    class ConfinedFetcher(URLFetcher):  # type: ignore[misc]  # weasyprint has no type hints
        def __init__(self) -> None:
            super().__init__(allowed_protocols=ALLOWED_SCHEMES, allow_redirects=False)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme == "file" and not _inside(Path(unquote(parts.path)), roots):
                self.refused.append(url)
                raise ValueError(f"{url} is outside the portfolio")
            if parts.scheme not in ALLOWED_SCHEMES:
                self.refused.append(url)
                raise ValueError(f"{url}: only files of the portfolio may be loaded")
            return super().fetch(url, headers)

    return ConfinedFetcher()


def _inside(path: Path, roots: Sequence[Path]) -> bool:
    resolved = path.resolve()  # follows symbolic links and `..`
    return any(resolved.is_relative_to(root) for root in roots)


@contextmanager
def _quiet_weasyprint() -> Iterator[None]:
    """WeasyPrint logs each refused or unreadable resource; pfm reports them itself, once."""
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)
