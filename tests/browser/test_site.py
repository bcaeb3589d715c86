"""The built site in a real browser: clean loads, sorting, filtering kept in the address, the same figures as the
commands, hostile text shown as text, and every page readable with JavaScript off."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Request
from typer.testing import CliRunner

from pfm.reporting.site import check_links
from tests.browser.conftest import HOSTILE_TITLE
from tests.helpers import cli_json


class Watched:
    """A page that records console errors, failed requests and any request that leaves the file system."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", lambda request: self.problems.append(f"failed: {request.url}"))
        page.on("request", self._request)
        page.on("dialog", self._dialog)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def _request(self, request: Request) -> None:
        if not request.url.startswith("file://"):
            self.problems.append(f"network: {request.url}")

    def _dialog(self, dialog: Dialog) -> None:
        self.problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def open(self, path: Path) -> Page:
        self.page.goto(path.as_uri())
        return self.page


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield Watched(context.new_page())
    context.close()


def test_every_page_loads_with_no_console_error_failed_request_or_network_request(
    example_site: Path, watched: Watched
) -> None:
    pages = sorted(example_site.rglob("*.html"))
    assert len(pages) > 40  # the example's 36 items and the site's own pages
    for path in pages:
        watched.open(path)
    assert watched.problems == []


def test_every_link_leads_to_a_file_inside_the_site(example_site: Path) -> None:
    assert check_links(example_site) == []


def _column(page: Page, index: int) -> list[str]:
    values: list[str] = page.eval_on_selector_all(
        f"#items tbody tr:not([hidden]) td:nth-child({index})",
        "cells => cells.map(c => c.dataset.value ?? c.textContent)",
    )
    return values


def test_sorting_by_a_column_orders_the_rows_and_a_second_click_reverses_them(
    example_site: Path, watched: Watched
) -> None:
    page = watched.open(example_site / "portfolio.html")
    heading = page.locator("#items th", has_text="NPV")
    index = page.locator("#items thead th").all_inner_texts().index("NPV") + 1
    heading.get_by_role("button").click()
    ascending = [float(v) for v in _column(page, index) if v]
    assert ascending == sorted(ascending) and len(ascending) > 20
    assert heading.get_attribute("aria-sort") == "ascending"
    heading.get_by_role("button").click()
    descending = [float(v) for v in _column(page, index) if v]
    assert descending == sorted(ascending, reverse=True)
    assert _column(page, index)[-1] == ""  # items without a business case stay last either way
    assert watched.problems == []


def test_the_filter_shows_matching_rows_only_and_is_kept_in_the_address(example_site: Path, watched: Watched) -> None:
    page = watched.open(example_site / "portfolio.html")
    every = page.locator("#items tbody tr").count()
    page.select_option("select[name=stage]", "Business case")
    shown = page.locator("#items tbody tr:not([hidden])")
    assert 0 < shown.count() < every
    assert set(shown.evaluate_all("rows => rows.map(r => r.dataset.stage)")) == {"Business case"}
    page.fill("input[name=q]", "fraud")
    titles = shown.evaluate_all("rows => rows.map(r => r.dataset.text)")
    assert titles and all("fraud" in t for t in titles)
    address = page.url
    assert "stage=Business+case" in address and "q=fraud" in address
    shared = watched.open(Path("/dev/null"))  # leave, then come back through the shared address
    shared.goto(address)
    assert shared.input_value("select[name=stage]") == "Business case"
    assert shared.locator("#items tbody tr:not([hidden])").count() == len(titles)
    shared.goto(f"{address.split('#')[0]}#tag=fraud")  # an item has several tags: any of them matches
    tags = shared.locator("#items tbody tr:not([hidden])").evaluate_all("rows => rows.map(r => r.dataset.tag)")
    assert tags and all("fraud" in t.split() for t in tags)
    assert shared.input_value("select[name=tag]") == "fraud"
    assert watched.problems == []


def test_an_item_page_shows_the_score_rank_and_npv_of_pfm_rank_and_pfm_finance(
    example_site: Path, watched: Watched
) -> None:
    runner = CliRunner()
    ranked = cli_json(runner, "rank")["items"]
    npv = {case["id"]: case["npv"] for case in cli_json(runner, "finance")["items"]}
    checked = 0
    for entry in ranked[:5]:
        page = watched.open(example_site / "items" / f"{entry['id']}.html")
        assert page.text_content("#rank") == str(entry["rank"])
        assert float(page.get_attribute("#score", "data-value") or "nan") == entry["score"]
        assert page.text_content("#score") == f"{entry['score']:,.2f}"
        if entry["id"] in npv:
            assert float(page.get_attribute("#npv", "data-value") or "nan") == npv[entry["id"]]
            assert page.text_content("#npv") == f"{npv[entry['id']]:,.0f}"
            checked += 1
    assert checked >= 3


@pytest.mark.parametrize(("chart", "mark"), [("dependencies", "text"), ("roadmap", "path")])
def test_clicking_an_item_in_a_chart_opens_its_page(
    example_site: Path, watched: Watched, chart: str, mark: str
) -> None:
    page = watched.open(example_site / f"{chart}.html")
    marks = page.locator(f"#chart-{chart} svg a {mark}")  # a dependency's name in its box, a roadmap's bar
    assert marks.count() >= 5  # the example's charts draw more items than that
    target = marks.nth(2).evaluate("mark => mark.closest('a').getAttribute('xlink:href')")
    assert target.startswith("items/")
    marks.nth(2).click()
    page.wait_for_url(f"**/{target}")
    assert page.locator("h1").text_content() == page.title().split(" – ")[0]
    assert watched.problems == []


def test_a_hostile_title_is_shown_as_text_everywhere(hostile_site: Path, watched: Watched) -> None:
    for path in (hostile_site / "items" / "cloud-finops.html", hostile_site / "portfolio.html"):
        page = watched.open(path)
        if path.name == "portfolio.html":
            assert page.text_content("#item-cloud-finops td:nth-child(2) a") == HOSTILE_TITLE
        else:
            assert page.text_content("h1") == HOSTILE_TITLE
        assert page.locator("main img[src=x], main script").count() == 0
    assert watched.problems == []
    assert check_links(hostile_site) == []


def test_with_javascript_off_every_row_is_shown_and_the_filter_form_is_not(
    browser: Browser, example_site: Path
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((example_site / "portfolio.html").as_uri())
    rows = page.locator("#items tbody tr")
    assert rows.count() == len(list((example_site / "items").glob("*.html")))
    assert page.locator("#filters").is_hidden()
    assert page.locator("#items tbody tr[hidden]").count() == 0
    context.close()
