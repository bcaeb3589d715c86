from __future__ import annotations

import ast
import builtins
import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import pfm.methods.formula
from pfm.errors import PfmError
from pfm.methods.formula import Formula, FormulaError, compile_formula, formula_names

KNOWN = ("strategic_alignment", "delivery_risk", "npv", "capex", "x", "y")


def score(text: str, **values: float) -> float:
    result = compile_formula(text, KNOWN).evaluate(values)
    assert isinstance(result, float)
    return result


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("2 ** 3 * 2", 16.0),
        ("x ** -1 + 4 ** 0.5", 2.5),
        ("-2 ** 2", -4.0),
        ("10 - 4 - 3", 3.0),
        ("12 / 4 / 3", 1.0),
        ("7 % 3 + -7 % 3", 3.0),
        ("+x * -y", -6.0),
        ("0.6 * strategic_alignment + 0.4 * npv / 1e6 - 2 * delivery_risk", 0.6 * 4 + 0.4 * 2.5 - 2 * 1),
    ],
)
def test_arithmetic_follows_python_precedence(text: str, expected: float) -> None:
    values = {"x": 2.0, "y": 3.0, "strategic_alignment": 4.0, "npv": 2.5e6, "delivery_risk": 1.0}
    assert score(text, **values) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("min(x, y)", 2.0),
        ("min(y, x, -1)", -1.0),
        ("max(x, y)", 3.0),
        ("max(0, npv) / max(1, capex)", 2.0),
        ("abs(-x)", 2.0),
        ("sqrt(16)", 4.0),
        ("log(exp(x))", 2.0),
        ("exp(0)", 1.0),
        ("clip(x, 0, 1)", 1.0),
        ("clip(-x, 0, 1)", 0.0),
        ("clip(0.5, 0, 1)", 0.5),
        ("round(2.345, 2)", 2.35),
        ("round(1234, -2)", 1200.0),
        ("round(2.5)", 2.0),
    ],
)
def test_every_function(text: str, expected: float) -> None:
    assert score(text, x=2.0, y=3.0, npv=10.0, capex=5.0) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x < y", 1.0),
        ("x >= y", 0.0),
        ("x == 2", 1.0),
        ("x != 2", 0.0),
        ("x <= 2 < y", 1.0),
        ("0 < x < 1", 0.0),
        ("x > 1 and y > 1", 1.0),
        ("x > 5 or y > 5", 0.0),
        ("not x", 0.0),
        ("not (x > 5)", 1.0),
        ("x and 0", 0.0),
        ("10 if x < y else 20", 10.0),
        ("10 if x > y else 20 if x > 1 else 30", 20.0),
        ("npv * (capex >= 4)", 10.0),
    ],
)
def test_comparisons_and_conditionals_give_the_same_results_on_floats_and_arrays(text: str, expected: float) -> None:
    formula = compile_formula(text, KNOWN)
    values = {"x": 2.0, "y": 3.0, "npv": 10.0, "capex": 5.0}
    assert formula.evaluate(values) == expected
    # The same item three times, then swapped values: an array is scored elementwise.
    rows = [values, {"x": 3.0, "y": 2.0, "npv": -1.0, "capex": 0.0}, values]
    arrays = {name: np.array([row[name] for row in rows]) for name in values}
    result = formula.evaluate(arrays)
    assert isinstance(result, np.ndarray)
    assert result.tolist() == [formula.evaluate(row) for row in rows]
    assert result[0] == expected


def test_every_function_works_elementwise_on_arrays() -> None:
    formula = compile_formula(
        "min(x, y) + max(x, 0) + abs(y) + sqrt(abs(x)) + exp(0) + clip(x, -1, 1) + round(y, 1)", KNOWN
    )
    xs, ys = np.array([-4.0, 0.0, 9.0]), np.array([1.25, -2.0, 3.0])
    result = formula.evaluate({"x": xs, "y": ys})
    assert isinstance(result, np.ndarray)
    expected = [formula.evaluate({"x": float(x), "y": float(y)}) for x, y in zip(xs, ys, strict=True)]
    assert result.tolist() == pytest.approx(expected)


def test_a_constant_formula_is_broadcast_to_the_portfolio() -> None:
    result = compile_formula("1 + 1", KNOWN).evaluate({"npv": np.zeros(3)})
    assert isinstance(result, np.ndarray)
    assert result.tolist() == [2.0, 2.0, 2.0]


def test_numeric_problems_give_inf_or_nan_not_exceptions() -> None:
    assert score("x / 0", x=1.0) == math.inf
    assert math.isnan(score("x / 0", x=0.0))
    assert math.isnan(score("x % 0", x=1.0))
    assert math.isnan(score("log(x)", x=-1.0))
    assert score("log(x)", x=0.0) == -math.inf
    assert math.isnan(score("sqrt(x)", x=-1.0))
    assert score("exp(x)", x=1e6) == math.inf
    assert score("(x ** 10) ** 10", x=1e10) == math.inf
    result = compile_formula("1 / x", KNOWN).evaluate({"x": np.array([0.0, 2.0])})
    assert isinstance(result, np.ndarray)
    assert result.tolist() == [math.inf, 0.5]


def test_names_lists_what_the_formula_uses() -> None:
    formula = compile_formula("npv / max(1, capex) + npv", KNOWN)
    assert formula.names == frozenset({"npv", "capex"})
    assert formula == Formula("npv / max(1, capex) + npv", frozenset({"npv", "capex"}), formula._run)


def test_a_missing_value_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="capex"):
        compile_formula("npv / capex", KNOWN).evaluate({"npv": 1.0})


def test_an_unknown_name_is_reported_with_its_column_and_a_suggestion() -> None:
    with pytest.raises(FormulaError) as caught:
        compile_formula("0.6 * stratgic_alignment + npv", KNOWN)
    assert str(caught.value) == (
        "formula: unknown name 'stratgic_alignment' at column 7; did you mean 'strategic_alignment'?"
    )
    assert caught.value.exit_code == 2
    assert isinstance(caught.value, PfmError)


def test_an_unknown_name_without_a_close_match_has_no_suggestion() -> None:
    with pytest.raises(FormulaError, match=r"^formula: unknown name 'zzz' at column 5$"):
        compile_formula("1 + zzz", KNOWN)


def test_columns_count_characters_and_lines() -> None:
    with pytest.raises(FormulaError, match="at column 9;"):
        compile_formula("  npv + nvp", KNOWN)  # leading spaces are allowed and counted
    with pytest.raises(FormulaError, match=r"'zzz' at column 5$"):
        compile_formula("é + zzz", ("é",))  # Python counts bytes, the message characters
    with pytest.raises(FormulaError, match=r"unknown name 'zzz' at line 2, column 4$"):
        compile_formula("(npv\n + zzz)", KNOWN)
    with pytest.raises(FormulaError, match=r"^formula: invalid syntax at column 5$"):
        compile_formula("npv $ capex", KNOWN)


HOSTILE = [
    "__import__('os').system('true')",
    "().__class__.__bases__",
    "open('x')",
    "[x for x in y]",
    "{x: 1 for x in y}",
    "(x for x in y)",
    "lambda: 1",
    "x.real",
    "x[0]",
    '"text"',
    "b'bytes'",
    "f'{x}'",
    "True + 1",
    "None",
    "1j",
    "(x := 1)",
    "min(*x)",
    "round(x, ndigits=2)",
    "eval('1')",
    "x // 2",
    "~x",
    "x in y",
    "x is y",
    "(x, y)",
    "[x]",
    "2 ** 999999",
    "9 ** 9 ** 9",
    "x ** y",
    "x ** 11",
    "round(x, y)",
    "round(x, 0.5)",
    "1" * 400,
    "x + " * 2_500 + "x",
    "(" * 500 + "1" + ")" * 500,
    "(" * 300 + "1" + ")" * 300,
    "[" * 300 + "1" + "]" * 300,
    "not " * 240 + "x",
    "-" * 999 + "1",
    "abs(" * 150 + "x" + ")" * 150,
    "x if y else",
    "min()",
    "min(x)",
    "clip(x, y)",
    "sqrt(x, y)",
    "",
    "  ",
    "x = 1",
    "import os",
    "x\0",
]


@pytest.mark.parametrize("text", HOSTILE, ids=lambda text: text[:40])
def test_hostile_input_is_refused_without_running_anything(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real_import = builtins.__import__

    def forbidden(*args: object, **kwargs: object) -> None:
        calls.append(args)

    def watched_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name in ("os", "subprocess", "shutil"):
            calls.append(name)
        return real_import(name, *args, **kwargs)

    # Only around the call: pytest itself needs these to report.
    with monkeypatch.context() as patched:
        patched.setattr(os, "system", forbidden)
        patched.setattr(builtins, "open", forbidden)
        patched.setattr(builtins, "__import__", watched_import)
        try:
            compile_formula(text, ("x", "y"))
        except FormulaError as exc:
            error: Exception | None = exc
        else:
            error = None
    assert calls == []
    assert isinstance(error, FormulaError)
    assert str(error).startswith("formula: ")


def test_the_module_never_calls_eval_exec_or_compile() -> None:
    tree = ast.parse(Path(pfm.methods.formula.__file__).read_text(encoding="utf-8"))
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    attributes = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert not (names | attributes) & {"eval", "exec", "compile", "__import__", "getattr", "globals", "vars"}
    imports = {
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom) for alias in node.names
    }
    assert not imports & {"builtins", "importlib", "os", "subprocess"}


def test_formula_names_replace_dashes_and_dots() -> None:
    assert formula_names(["strategic-alignment", "risk.delivery", "npv"]) == {
        "strategic-alignment": "strategic_alignment",
        "risk.delivery": "risk_delivery",
        "npv": "npv",
    }


def test_formula_names_refuse_a_collision() -> None:
    with pytest.raises(ValueError, match="'a-b' and 'a_b'"):
        formula_names(["a-b", "a_b"])


def test_ids_become_usable_names() -> None:
    names = formula_names(["strategic-alignment", "npv"])
    formula = compile_formula("strategic_alignment * npv", names.values())
    assert formula.evaluate({names["strategic-alignment"]: 2.0, "npv": 3.0}) == 6.0
