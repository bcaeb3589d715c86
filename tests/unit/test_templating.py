"""The template environment: portfolio overrides, strict and sandboxed rendering, escaping per format."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pfm.reporting.tables import md_text
from pfm.reporting.templating import LIMITS, LONG_WORD, Limits, TemplateFailure, breakable, environment, render
from pfm.selection.explain import Exclusion

HOSTILE = "<script>alert(1)</script> | *bold* [x](javascript:1) {{ 7*7 }} {% raw %} @team &amp;"


def _env(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_html_values_are_escaped_and_jinja_in_data_is_not_run(tmp_path: Path) -> None:
    root = _env(tmp_path, {"t.html.j2": "<p>{{ title }}</p>"})
    html = render(environment(root), "t.html.j2", {"title": HOSTILE})
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and "49" not in html
    assert "&amp;amp;" in html  # an entity in the text is shown as written, not decoded


def test_markdown_values_are_escaped_so_github_shows_them_as_written(tmp_path: Path) -> None:
    root = _env(tmp_path, {"t.md.j2": "| a | {{ title }} |\n"})
    md = render(environment(root), "t.md.j2", {"title": HOSTILE})
    assert md.count("|") - md.count("\\|") == 3  # the pipe in the title cannot open a cell
    assert "<script>" not in md and "\\<script\\>" in md
    assert "\\*bold\\*" in md and "\\[x\\]" in md
    assert "&#64;team" in md  # no @mention
    assert "{{ 7\\*7 }}" in md  # shown, not evaluated


def test_filters_format_figures_as_the_commands_do(tmp_path: Path) -> None:
    root = _env(
        tmp_path, {"t.md.j2": "{{ a | money }} {{ a | compact }} {{ r | percent }} {{ s | number }} {{ n | money }}"}
    )
    text = render(environment(root, "GBP"), "t.md.j2", {"a": 1234567.8, "r": 0.123, "s": 12.3456, "n": None})
    assert text == "1,234,568 £1.23M 12.3 % 12.35 –"


def test_a_portfolio_template_overrides_the_built_in_one(tmp_path: Path) -> None:
    root = _env(tmp_path, {"board-pack.css": "/* ours */"})
    env = environment(root)
    assert env.get_template("board-pack.css").render() == "/* ours */"
    assert "{%" in (env.loader.get_source(env, "board-pack.md.j2")[0])  # the others still come from pfm


def test_an_extending_template_replaces_single_blocks(tmp_path: Path) -> None:
    root = _env(
        tmp_path,
        {
            "base.html.j2": "<h1>{% block head %}Default{% endblock %}</h1><p>{% block body %}{{ x }}{% endblock %}</p>",
            "mine.html.j2": '{% extends "base.html.j2" %}{% block head %}Ours: {{ x }}{% endblock %}',
        },
    )
    assert render(environment(root), "mine.html.j2", {"x": "<b>"}) == "<h1>Ours: &lt;b&gt;</h1><p>&lt;b&gt;</p>"


def test_an_undefined_name_is_an_error_naming_the_file_and_line(tmp_path: Path) -> None:
    root = _env(tmp_path, {"t.md.j2": "line one\n{{ pack.nothing }}\n"})
    with pytest.raises(TemplateFailure, match=r"t\.md\.j2:2: 'pack' is undefined"):
        render(environment(root), "t.md.j2", {})


def test_a_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    root = _env(tmp_path, {"t.md.j2": "ok\n{% for x in %}\n"})
    with pytest.raises(TemplateFailure, match=r"t\.md\.j2:2: "):
        render(environment(root), "t.md.j2", {})


def test_the_sandbox_refuses_private_attributes_and_changing_data(tmp_path: Path) -> None:
    root = _env(
        tmp_path,
        {
            "a.md.j2": "{{ x.__class__.__mro__ }}",
            "b.md.j2": "{{ items.append(1) }}",
            "c.md.j2": "{{ where.joinpath('secret.txt').read_text() }}",
            "d.md.j2": "{{ (where / 'out.txt').write_text('x') }}",
            "e.md.j2": "{{ where }}",
        },
    )
    (tmp_path / "secret.txt").write_text("SECRET", encoding="utf-8")
    env = environment(root)
    for name in ("c.md.j2", "d.md.j2"):  # a path is shown, never read or written
        with pytest.raises(TemplateFailure, match=r"unsafe|not safely|joinpath|write_text"):
            render(env, name, {"where": tmp_path})
    assert not (tmp_path / "out.txt").exists()
    assert render(env, "e.md.j2", {"where": tmp_path}) == md_text(str(tmp_path))
    with pytest.raises(TemplateFailure, match="__class__"):
        render(env, "a.md.j2", {"x": 1})
    items: list[int] = []
    with pytest.raises(TemplateFailure, match="append"):
        render(env, "b.md.j2", {"items": items})
    assert items == []


def test_a_missing_template_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateFailure, match=r"no template 'nope\.md\.j2'"):
        render(environment(tmp_path), "nope.md.j2", {})


def test_very_long_words_get_break_opportunities_and_short_text_is_untouched() -> None:
    word = "x" * (3 * LONG_WORD + 5)
    broken = breakable(f"a {word} b")
    assert broken.replace("\u200b", "") == f"a {word} b"
    assert [len(part) for part in broken.split()[1].split("\u200b")] == [LONG_WORD, LONG_WORD, LONG_WORD, 5]
    assert breakable("Core ledger phase 2 – lending and mortgages") == "Core ledger phase 2 – lending and mortgages"


def test_an_error_in_a_template_expression_names_the_file_and_line(tmp_path: Path) -> None:
    root = _env(tmp_path, {"t.md.j2": "one\ntwo\n{{ 1 / n }}\n"})
    with pytest.raises(TemplateFailure, match=r"t\.md\.j2:3: ZeroDivisionError: division by zero"):
        render(environment(root), "t.md.j2", {"n": 0})


def test_a_template_cannot_link_out_of_the_templates_folder(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    root = _env(tmp_path / "portfolio", {"t.md.j2": '{% include "leak.j2" %}'})
    (root / "templates" / "leak.j2").symlink_to(secret)
    with pytest.raises(TemplateFailure, match=r"'leak\.j2' leads outside the portfolio's templates folder"):
        render(environment(root), "t.md.j2", {})
    with pytest.raises(TemplateFailure, match="no template"):
        render(environment(root), "../secret.txt", {})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.txt").write_text("SECRET", encoding="utf-8")
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / "templates").symlink_to(elsewhere)  # the whole folder a link out
    with pytest.raises(TemplateFailure, match="leads outside"):
        render(environment(linked), "secret.txt", {})


def test_markdown_escapes_values_that_are_not_strings(tmp_path: Path) -> None:
    root = _env(tmp_path, {"t.md.j2": "| {{ tags }} | {{ n }} | {{ x }} |"})
    text = render(environment(root), "t.md.j2", {"tags": ("a|b", "<i>"), "n": 1234, "x": 0.5})
    assert text == "| ('a\\|b', '\\<i\\>') | 1234 | 0.5 |"


QUICK = Limits(seconds=0.5, characters=10_000, memory=300 * 2**20)


def _fails(tmp_path: Path, source: str, expected: str, limits: Limits = QUICK) -> str:
    """The one-line error rendering `source` gives; it must match `expected`."""
    root = _env(tmp_path, {"t.md.j2": source})
    with pytest.raises(TemplateFailure, match=expected) as caught:
        render(environment(root, limits=limits), "t.md.j2", {"x": [1, 2]})
    assert "\n" not in str(caught.value)
    return str(caught.value)


def test_a_template_that_loops_for_ever_is_stopped_at_the_deadline(tmp_path: Path) -> None:
    started = time.monotonic()
    loops = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    _fails(tmp_path, f"one\n{loops}\n", r"t\.md\.j2:2: rendering took longer than 0\.5 s")
    assert time.monotonic() - started < 5


def test_the_deadline_holds_inside_filters_and_macros_too(tmp_path: Path) -> None:
    fan_out = "{% macro m(n) %}{% if n %}{{ m(n - 1) }}{{ m(n - 1) }}{% endif %}{% endmacro %}\n{{ m(40) }}"
    _fails(tmp_path, fan_out, r"t\.md\.j2:1: rendering took longer")  # 2^40 calls, never deeper than 40
    _fails(tmp_path, "\n\n{{ lipsum(n=100000000) }}", r"t\.md\.j2:3: rendering took longer")
    _fails(tmp_path, "\n{{ [1] | slice(1000000000000) | map('length') | sum }}", r"t\.md\.j2:2: rendering took longer")


def test_a_macro_that_calls_itself_for_ever_is_a_one_line_error(tmp_path: Path) -> None:
    source = "{% macro down(n) %}\n{{ down(n + 1) }}\n{% endmacro %}\n{{ down(0) }}\n"
    for text in (source, '\n{% include "t.md.j2" %}'):  # the include takes a second or two, traced
        _fails(tmp_path, text, r"t\.md\.j2:2: macros, includes or blocks nested too deeply", LIMITS)


def test_the_output_stops_at_its_size_limit(tmp_path: Path) -> None:
    _fails(
        tmp_path,
        "head\n{% for i in range(100000) %}{{ i }} and more words\n{% endfor %}",
        r"t\.md\.j2:2: the output passes 10,000 characters",
    )


def test_operators_cannot_build_huge_values(tmp_path: Path) -> None:
    _fails(tmp_path, "\n{% set s = 'x' * 20000 %}", r"t\.md\.j2:2: 'x' \* 20000 would make 20,000 items")
    _fails(tmp_path, "{% set s = x * 6000 %}", r"t\.md\.j2:1: \[1, 2\] \* 6000 would make 12,000 items")
    _fails(tmp_path, "{% set n = 7 ** 10000000 %}", r"t\.md\.j2:1: 7 \*\* 10000000 would make a number of")
    big = "{% set n = 2 ** 5000 %}{% set m = n * n %}\n{% set m = m * n %}"
    _fails(tmp_path, big, r"t\.md\.j2:2: .* would make a number of 15,002 bits")


def test_small_operations_are_untouched(tmp_path: Path) -> None:
    root = _env(
        tmp_path, {"t.md.j2": "{{ '-' * 3 }}{{ [0] * 2 }}{{ 2 ** 10 }}{{ 1.5 * 2 }}{{ 2 ** 0.5 > 1 }}{{ 3 * 'ab' }}"}
    )
    assert render(environment(root, limits=QUICK), "t.md.j2", {}) == "---\\[0, 0\\]10243.0Trueababab"


@pytest.mark.skipif(not Path("/proc/self/statm").is_file(), reason="the memory limit needs Linux's /proc")
def test_memory_a_filter_would_take_is_refused(tmp_path: Path) -> None:
    for source in ("{{ 'x' | center(1000000000) }}", "{{ x | tojson(indent=1000000000) }}"):
        _fails(tmp_path, f"\n{source}", r"t\.md\.j2:2: rendering needs more memory than the 300 MB allowed")


def test_every_failure_of_a_portfolio_template_is_one_line_with_its_place(tmp_path: Path) -> None:
    for source, expected in (
        ("{{ x | dictsort }}", "AttributeError: 'list' object has no attribute 'items'"),
        ("{{ cycler().next() }}", "RuntimeError: at least one item has to be provided"),
        ("{{ 'abc' | number }}", "TypeError: must be real number, not str"),
        ("{{ x | sum / 0 }}", "ZeroDivisionError"),
        ("{{ nothing }}", "'nothing' is undefined"),
    ):
        _fails(tmp_path, f"\n\n{source}", rf"t\.md\.j2:3: {expected}")


def test_a_real_pack_stays_well_inside_the_default_limits() -> None:
    from pfm.io.revisions import provenance
    from pfm.reporting.board_pack import pack_context
    from pfm.reporting.pack import build_pack
    from pfm.reporting.pack_charts import draw_charts
    from pfm.validation.load import load_portfolio
    from tests.helpers import EXAMPLE

    pack = build_pack(load_portfolio(EXAMPLE), None, provenance(EXAMPLE))
    env = environment(EXAMPLE, pack.portfolio.currency)
    context = pack_context(pack, draw_charts(pack), "charts")
    started = time.monotonic()
    html = render(env, "board-pack.html.j2", context)
    assert time.monotonic() - started < LIMITS.seconds / 50
    assert len(html) < LIMITS.characters / 50


def test_an_entry_price_is_the_figure_where_proven_else_the_interval_as_pfm_select_prints_it(tmp_path: Path) -> None:
    root = _env(tmp_path, {"t.html.j2": "{% for e in out %}{{ e | price }}; {% endfor %}"})
    out = [
        Exclusion("a", ("budget",), 12.3456, 12.3456, 12.3456, True),
        Exclusion("b", ("budget",), 4.0, 3.5, 1234.5, False),
        Exclusion("c", ("budget",), None, 2.0, None, False),
        Exclusion("d", ("budget",)),
    ]
    text = render(environment(root), "t.html.j2", {"out": out})
    assert text == "12.35; [3.50, 1,234.50]; [2.00, ?]; –; "
    assert text.split("; ")[:3] == [f"{e.price_cell:,.2f}" if e.price_proven else e.price_cell for e in out[:3]]
