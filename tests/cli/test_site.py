"""`pfm site` through the command line: the site written whole, overridable templates, --since, and --check."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from pfm.reporting.site import check_links
from tests.helpers import EXAMPLE, cli_json, commit, git, run


def test_the_site_replaces_the_folder_whole_and_its_links_resolve(runner: CliRunner, tmp_path: Path) -> None:
    site = tmp_path / "public"
    assert run(runner, "site", "-o", str(site)).exit_code == 0
    (site / "items" / "gone.html").write_text("stale", encoding="utf-8")
    result = run(runner, "site", "-o", str(site))
    assert result.exit_code == 0, result.output
    assert not (site / "items" / "gone.html").exists()
    assert (site / "items" / "cloud-finops.html").is_file()
    assert {p.name for p in site.iterdir()} >= {"index.html", "portfolio.html", "assets", "items", "risks.html"}
    assert [p.name for p in tmp_path.iterdir()] == ["public"]  # no temporary folder left beside it
    assert check_links(site) == []
    assert run(runner, "site", "--check", str(site)).exit_code == 0


def test_a_folder_that_is_not_a_site_is_refused_before_any_work(runner: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "portfolio"
    shutil.copytree(EXAMPLE, root)
    before = sorted(str(p.relative_to(root)) for p in root.rglob("*"))
    result = run(runner, "site", "-o", str(root), root=root)
    assert result.exit_code == 2
    assert "holds files that are not a site pfm wrote" in result.output
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["portfolio"]


def test_check_names_each_broken_link_and_fails(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/missing.html">x</a><img src="https://cdn.example/x.png"><a href="#nowhere">y</a>'
        '<a href="../outside.html">z</a><a href="index.html">ok</a>'
        '<svg><a xlink:href="items/gone.html"><text>box</text></a><a xlink:href="index.html"></a></svg>',
        encoding="utf-8",
    )
    result = run(runner, "site", "--check", str(tmp_path))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "index.html: a/missing.html: no such file",
        "index.html: https://cdn.example/x.png: leads outside the site",
        "index.html: #nowhere: no element with id 'nowhere'",
        "index.html: ../outside.html: leads outside the site",
        "index.html: items/gone.html: no such file",  # a chart's mark
    ]
    missing = run(runner, "site", "--check", str(tmp_path / "a"))
    assert missing.exit_code == 2
    assert "no site in" in missing.output


def test_a_failing_template_leaves_the_old_site_as_it_was(runner: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "portfolio"
    shutil.copytree(EXAMPLE, root)
    site = tmp_path / "site"
    assert run(runner, "site", "-o", str(site), root=root).exit_code == 0
    before = (site / "index.html").read_bytes()
    (root / "templates" / "site").mkdir(parents=True)
    (root / "templates" / "site" / "risks.html.j2").write_text("{{ no_such_name }}", encoding="utf-8")
    result = run(runner, "site", "-o", str(site), root=root)
    assert result.exit_code != 0
    assert "risks.html.j2:1" in result.output
    assert (site / "index.html").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["portfolio", "site"]


def test_a_portfolio_template_overrides_a_page_and_the_stylesheet(runner: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "portfolio"
    shutil.copytree(EXAMPLE, root)
    (root / "templates" / "site").mkdir(parents=True)
    (root / "templates" / "site" / "decisions.html.j2").write_text(
        '{% extends "site/base.html.j2" %}{% block main %}<h1>Our log</h1>{% endblock %}', encoding="utf-8"
    )
    (root / "templates" / "site" / "site.css").write_text("body { color: teal; }", encoding="utf-8")
    assert run(runner, "site", "-o", str(tmp_path / "site"), root=root).exit_code == 0
    assert "<h1>Our log</h1>" in (tmp_path / "site" / "decisions.html").read_text(encoding="utf-8")
    assert (tmp_path / "site" / "assets" / "site.css").read_text(encoding="utf-8") == "body { color: teal; }"


def test_since_adds_the_changes_page_and_history_each_items_rank_at_every_commit(
    runner: CliRunner, tmp_path: Path
) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    shutil.copytree(EXAMPLE, tmp_path / "p")
    commit(tmp_path, "Start", {})
    path = "p/items/cloud-finops.yaml"
    text = (tmp_path / path).read_text(encoding="utf-8")
    commit(tmp_path, "Rename", {path: text.replace("Cloud FinOps and cost optimisation", "Cloud cost control")})
    result = run(runner, "site", "--since", "HEAD~1", "--history", "-o", str(tmp_path / "site"), root=tmp_path / "p")
    assert result.exit_code == 0, result.output
    changes = (tmp_path / "site" / "changes.html").read_text(encoding="utf-8")
    assert "Changes since HEAD~1" in changes and "Cloud cost control" in changes
    assert 'href="changes.html"' in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert check_links(tmp_path / "site") == []
    past = cli_json(runner, "history", "--item", "cloud-finops", root=tmp_path / "p")["commits"]
    page = (tmp_path / "site" / "items" / "cloud-finops.html").read_text(encoding="utf-8")
    rows = page.split('id="history"')[1].split("</table>")[0]
    for point in past:  # newest first on the page
        standing = point["ranks"]["cloud-finops"]
        assert f"<code>{point['sha'][:8]}</code>" in rows
        cost = f"{point['costs']['cloud-finops']:,.0f}"
        assert f'<td class="num">{standing["rank"]}</td><td class="num">{standing["score"]:,.2f}</td>' in rows
        assert f'<td class="num">{standing["score"]:,.2f}</td><td class="num">{cost}</td></tr>' in rows
    assert rows.index(past[-1]["sha"][:8]) < rows.index(past[0]["sha"][:8])


def test_an_item_page_shows_the_entry_price_pfm_select_prints(runner: CliRunner, tmp_path: Path) -> None:
    site = tmp_path / "public"
    assert run(runner, "site", "-o", str(site)).exit_code == 0
    priced = [e for e in cli_json(runner, "select")["not_selected"] if e["entry_price_low"] is not None]
    assert priced
    for e in priced:
        if e["entry_price_proven"]:
            cell = f"{e['entry_price']:,.2f}"
        else:
            high = "?" if e["entry_price_high"] is None else f"{e['entry_price_high']:,.2f}"
            cell = f"[{e['entry_price_low']:,.2f}, {high}] (not proven"
        assert f"Entry price: {cell}" in (site / "items" / f"{e['id']}.html").read_text(encoding="utf-8")
