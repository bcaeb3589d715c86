"""Custom scoring formulas: parsed once with `ast`, checked against a whitelist, evaluated with numpy.

A formula is never executed as Python code: `compile_formula` walks the syntax tree and builds
a closure per node, accepting only numbers, known names, arithmetic, comparisons, `and`/`or`/`not`,
`a if cond else b` and a few functions. Evaluation follows numpy, never raising once compiled:
division by zero gives inf (or nan for 0/0 and x % 0), log/sqrt of a negative number gives nan,
overflow gives inf. Comparisons and logic yield 1.0 or 0.0; any value other than 0 counts as true.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import reduce

import numpy as np
import numpy.typing as npt

from pfm.errors import PfmError

MAX_LENGTH = 1_000
# What a portfolio's scoring formula may use besides its criteria (pfm.analysis.scoring supplies the values).
FINANCE_NAMES = ("npv", "irr", "roi", "capex", "opex", "benefits", "payback", "wsjf", "rice")
MAX_NODES = 200
MAX_EXPONENT = 10
MAX_NDIGITS = 15

Value = npt.NDArray[np.float64]  # 0-d for a single item, 1-d for a whole portfolio
Evaluator = Callable[[Mapping[str, Value]], Value]
Binary = Callable[[Value, Value], Value]

_BINARY: dict[type[ast.operator], Binary] = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply}
_BINARY |= {ast.Div: np.true_divide, ast.Mod: np.mod, ast.Pow: np.power}
_COMPARE: dict[type[ast.cmpop], Binary] = {ast.Lt: np.less, ast.LtE: np.less_equal, ast.Gt: np.greater}
_COMPARE |= {ast.GtE: np.greater_equal, ast.Eq: np.equal, ast.NotEq: np.not_equal}
_UNARY_FUNCTIONS: dict[str, Callable[[Value], Value]] = {"abs": np.abs, "sqrt": np.sqrt, "log": np.log, "exp": np.exp}
FUNCTIONS = frozenset({*_UNARY_FUNCTIONS, "min", "max", "clip", "round"})
_ARITY = {"min": (2, MAX_NODES, "at least 2 arguments"), "max": (2, MAX_NODES, "at least 2 arguments")}
_ARITY |= {"clip": (3, 3, "3 arguments (x, low, high)"), "round": (1, 2, "1 or 2 arguments (x, ndigits)")}
_OPERATORS = {ast.Invert: "~", ast.FloorDiv: "//", ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>"}
_OPERATORS |= {ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&"}
_REFUSED: dict[type[ast.AST], str] = {ast.Attribute: "an attribute ('.')", ast.Subscript: "a subscript ('[...]')"}
_REFUSED |= {ast.Lambda: "a lambda", ast.NamedExpr: "an assignment (':=')", ast.JoinedStr: "an f-string"}
_REFUSED |= {ast.Tuple: "a tuple", ast.List: "a list", ast.Set: "a set", ast.Dict: "a dict", ast.Starred: "'*'"}
_REFUSED |= dict.fromkeys([ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp], "a comprehension")


class FormulaError(PfmError):
    """A scoring formula that does not parse or uses something not allowed."""


@dataclass(frozen=True)
class Formula:
    """A checked formula; `evaluate` scores one item (floats) or many at once (arrays)."""

    text: str
    names: frozenset[str]
    _run: Evaluator = field(repr=False, compare=False)

    def evaluate(self, values: Mapping[str, float | Value]) -> float | Value:
        """Evaluate on floats or equal-length arrays; the result has the shape of all `values` together."""
        missing = sorted(self.names - values.keys())
        if missing:
            raise KeyError(f"formula {self.text!r} needs a value for {', '.join(missing)}")
        arrays = {name: np.asarray(values[name], dtype=np.float64) for name in self.names}
        with np.errstate(all="ignore"):
            result = np.asarray(self._run(arrays), dtype=np.float64)
        shape = np.broadcast_shapes(result.shape, *(np.shape(value) for value in values.values()))
        if result.shape != shape:
            result = np.broadcast_to(result, shape).copy()
        return float(result) if result.ndim == 0 else result


def formula_names(ids: Iterable[str]) -> dict[str, str]:
    """Map each id to the name a formula uses for it ('-' and '.' become '_')."""
    names: dict[str, str] = {}
    owners: dict[str, str] = {}
    for id_ in ids:
        name = id_.replace("-", "_").replace(".", "_")
        if owners.setdefault(name, id_) != id_:
            raise ValueError(f"{owners[name]!r} and {id_!r} have the same formula name {name!r}")
        names[id_] = name
    return names


def compile_formula(text: str, known: Collection[str]) -> Formula:
    """Parse and check a formula once; raise FormulaError naming the first problem and where it is."""
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"formula: longer than {MAX_LENGTH} characters ({len(text)})")
    if not text.strip():
        raise FormulaError("formula: empty")
    source = text.lstrip()  # eval mode refuses leading whitespace ("unexpected indent")
    lead = len(text) - len(source)
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        where = _where(text, lead, exc.lineno or 1, exc.offset - 1) if exc.offset and exc.offset > 0 else ""
        raise FormulaError(f"formula: {exc.msg}{where}") from None
    except (RecursionError, MemoryError, ValueError):
        raise FormulaError("formula: too deeply nested or malformed to parse") from None
    if sum(isinstance(node, ast.expr) for node in ast.walk(tree)) > MAX_NODES:
        raise FormulaError(f"formula: more than {MAX_NODES} terms")
    builder = _Builder(text, source, lead, frozenset(known))
    evaluator = builder.build(tree.body)
    return Formula(text, frozenset(builder.used), evaluator)


def _where(text: str, lead: int, lineno: int, column: int) -> str:
    """' at column C' (or ' at line L, column C') in `text`, from a 0-based position in the parsed source."""
    offset = lead + sum(len(line) + 1 for line in text[lead:].split("\n")[: lineno - 1]) + column
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f" at line {line}, column {column}" if "\n" in text else f" at column {column}"


def _truth(value: Value) -> Value:
    return np.not_equal(value, 0.0)


def _flag(condition: Value) -> Value:
    return np.where(condition, 1.0, 0.0)


def _literal(node: ast.expr) -> float | None:
    """The value of a number literal, optionally signed, else None."""
    sign = 1.0
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd | ast.USub):
        sign = -1.0 if isinstance(node.op, ast.USub) else 1.0
        node = node.operand
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return sign * float(node.value)
    return None


class _Builder:
    """Turn a checked syntax tree into nested closures over numpy operations."""

    def __init__(self, text: str, source: str, lead: int, known: frozenset[str]) -> None:
        self.text, self.lines, self.lead, self.known = text, source.split("\n"), lead, known
        self.used: set[str] = set()

    def fail(self, node: ast.expr, problem: str, hint: str = "") -> FormulaError:
        line = self.lines[node.lineno - 1]
        column = len(line.encode()[: node.col_offset].decode("utf-8", errors="replace"))  # col_offset counts bytes
        return FormulaError(f"formula: {problem}{_where(self.text, self.lead, node.lineno, column)}{hint}")

    def build(self, node: ast.expr) -> Evaluator:  # noqa: PLR0912 - one branch per allowed construct
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                raise self.fail(node, f"only numbers are allowed, not {node.value!r:.40}")
            try:
                constant = np.asarray(float(node.value), dtype=np.float64)
            except OverflowError:
                raise self.fail(node, "number too large") from None
            return lambda values: constant
        if isinstance(node, ast.Name):
            if node.id not in self.known:
                close = difflib.get_close_matches(node.id, self.known, n=1)
                raise self.fail(node, f"unknown name {node.id!r}", f"; did you mean {close[0]!r}?" if close else "")
            self.used.add(name := node.id)
            return lambda values: values[name]
        if isinstance(node, ast.UnaryOp):
            operand = self.build(node.operand)
            if isinstance(node.op, ast.USub):
                return lambda values: np.negative(operand(values))
            if isinstance(node.op, ast.Not):
                return lambda values: _flag(np.logical_not(_truth(operand(values))))
            if isinstance(node.op, ast.UAdd):
                return operand
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            if isinstance(node.op, ast.Pow):
                exponent = _literal(node.right)
                if exponent is None or abs(exponent) > MAX_EXPONENT:
                    raise self.fail(node.right, f"the exponent of ** must be a number within ±{MAX_EXPONENT}")
            op, left, right = _BINARY[type(node.op)], self.build(node.left), self.build(node.right)
            return lambda values: op(left(values), right(values))
        if isinstance(node, ast.Compare):
            first, ops = self.build(node.left), [_COMPARE[type(op)] for op in node.ops if type(op) in _COMPARE]
            if len(ops) != len(node.ops):
                raise self.fail(node, "only < <= > >= == != comparisons are allowed")
            rest = [self.build(comparator) for comparator in node.comparators]

            def compare(values: Mapping[str, Value]) -> Value:
                operands = [first(values), *(term(values) for term in rest)]
                checks = [op(a, b) for op, a, b in zip(ops, operands, operands[1:], strict=False)]
                return _flag(reduce(np.logical_and, checks))

            return compare
        if isinstance(node, ast.BoolOp):
            combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
            terms = [self.build(term) for term in node.values]
            return lambda values: _flag(reduce(combine, [_truth(term(values)) for term in terms]))
        if isinstance(node, ast.IfExp):
            test, body, orelse = self.build(node.test), self.build(node.body), self.build(node.orelse)
            return lambda values: np.where(_truth(test(values)), body(values), orelse(values))
        if isinstance(node, ast.Call):
            return self.build_call(node)
        if isinstance(node, ast.UnaryOp | ast.BinOp):
            raise self.fail(node, f"the operator {_OPERATORS.get(type(node.op), '?')!r} is not allowed")
        raise self.fail(node, f"{_REFUSED.get(type(node), type(node).__name__.lower())} is not allowed")

    def build_call(self, node: ast.Call) -> Evaluator:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise self.fail(node, f"only calls to {', '.join(sorted(FUNCTIONS))} are allowed")
        function, count = node.func.id, len(node.args)
        if node.keywords:
            raise self.fail(node, f"{function}() takes no keyword arguments")
        low, high, wanted = _ARITY.get(function, (1, 1, "1 argument"))
        if not low <= count <= high:
            raise self.fail(node, f"{function}() takes {wanted}, not {count}")
        args = [self.build(arg) for arg in (node.args[:1] if function == "round" else node.args)]
        if function in ("min", "max"):
            pick = np.minimum if function == "min" else np.maximum
            return lambda values: reduce(pick, [arg(values) for arg in args])
        if function == "clip":
            x, lower, upper = args
            return lambda values: np.minimum(np.maximum(x(values), lower(values)), upper(values))
        if function == "round":
            digits = _literal(node.args[1]) if count == 2 else 0.0
            if digits is None or not digits.is_integer() or abs(digits) > MAX_NDIGITS:
                raise self.fail(node.args[1], f"round() needs a whole number of digits within ±{MAX_NDIGITS}")
            (x,), decimals = args, int(digits)
            return lambda values: np.round(x(values), decimals)  # half to even, like Python's round
        unary, (x,) = _UNARY_FUNCTIONS[function], args
        return lambda values: unary(x(values))
