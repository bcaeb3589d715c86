"""The PDF renderer loads files of the portfolio and pfm only: no other file, no network."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from pfm.reporting.pdf import to_pdf

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="5" y="25">{}</text></svg>'


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_files_outside_the_portfolio_and_urls_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "portfolio"
    (root / "templates").mkdir(parents=True)
    (root / "templates" / "logo.svg").write_text(SVG.format("LOGOINSIDE"), encoding="utf-8")
    (tmp_path / "secret.svg").write_text(SVG.format("SECRETOUTSIDE"), encoding="utf-8")
    (root / "templates" / "sneaky.svg").symlink_to(tmp_path / "secret.svg")
    html = (
        "<p>Body text</p>"
        '<img src="templates/logo.svg">'
        '<img src="../secret.svg">'
        '<img src="templates/sneaky.svg">'
        f'<img src="{(tmp_path / "secret.svg").as_uri()}">'
        '<img src="file:///etc/passwd">'
        '<img src="https://example.invalid/tracker.png">'
        '<link rel="stylesheet" href="http://example.invalid/style.css">'
    )
    pdf = to_pdf(html, root)
    text = _text(pdf.content)
    assert "Body text" in text and "LOGOINSIDE" in text
    assert "SECRETOUTSIDE" not in text
    assert pdf.pages == 1
    assert sorted(pdf.refused) == sorted(  # each once, though asked for twice
        [
            (tmp_path / "secret.svg").as_uri(),
            (root / "templates" / "sneaky.svg").as_uri(),
            "file:///etc/passwd",
            "https://example.invalid/tracker.png",
            "http://example.invalid/style.css",
        ]
    )


def test_data_urls_are_allowed(tmp_path: Path) -> None:
    pixel = "data:image/svg+xml;utf8," + SVG.format("INLINEDATA").replace("#", "%23")
    pdf = to_pdf(f'<img src="{pixel}">', tmp_path)
    assert pdf.refused == ()
    assert "INLINEDATA" in _text(pdf.content)
