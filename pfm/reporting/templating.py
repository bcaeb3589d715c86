"""The Jinja environment documents are rendered in: sandboxed, strict, and escaping every value it prints.

Templates are looked up in the portfolio's own `templates/` folder first, then in pfm's, so a
portfolio overrides a built-in template (or the stylesheet) by adding a file of the same name.
A portfolio's templates are code that anyone who can open a pull request may change, so they run
in Jinja's immutable sandbox: no attribute starting with an underscore, no method that changes
data. A name a template uses but the context lacks is an error, not a blank.

Values are escaped where they are printed: HTML templates (`*.html.j2`) by Jinja's autoescaping,
Markdown templates (every other one) by `md_text`, so a title can never become markup. Text a
filter has already made safe is a `Markup` and printed as it is.

Rendering is bounded in time, output, memory and the size of what an operator builds (see `bounds`), and
everything that can go wrong in a template, these bounds included, is one line naming its file and line.
"""

from __future__ import annotations

import math
import re
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path, PurePath
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    pass_eval_context,
)
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from pfm.errors import PfmError
from pfm.reporting.bounds import TEMPLATE, Exceeded, Limits, bounded, check_operation, collect
from pfm.reporting.tables import escape_controls, md_text
from pfm.resources import TEMPLATE_FOLDER, resource_dir
from pfm.review.comparison import headline
from pfm.wording import compact_money

LIMITS = Limits()  # every render's, unless `environment` is given others

EMPTY = "–"
LONG_WORD = 30  # characters; no real word in a title is longer
_LONG_WORD = re.compile(rf"\S{{{LONG_WORD + 1},}}")


class TemplateFailure(PfmError):
    """A template is missing, does not parse, or fails while rendering."""


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, and no attribute of a path: a template may print where a file is, never
    read or write it (`portfolio.root.joinpath(...).read_text()`). Templates render within `limits`."""

    intercepted_binops = frozenset({"*", "**"})  # the operators that make huge values out of small ones

    def __init__(self, limits: Limits, **options: Any) -> None:
        super().__init__(**options)
        self.limits = limits

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        check_operation(operator, left, right, self.limits.characters)
        return super().call_binop(context, operator, left, right)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return not isinstance(obj, PurePath) and super().is_safe_attribute(obj, attr, value)


def environment(root: Path, currency: str = "", limits: Limits | None = None) -> Sandbox:
    """Templates of the portfolio at `root`, then pfm's own; filters format figures in `currency`; rendering
    within `limits` (LIMITS unless given)."""
    env = Sandbox(
        limits or LIMITS,
        loader=ChoiceLoader([_Confined(root / TEMPLATE_FOLDER), FileSystemLoader(resource_dir(TEMPLATE_FOLDER))]),
        undefined=StrictUndefined,
        autoescape=lambda name: name is not None and name.endswith((".html.j2", ".html")),
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(_filters(currency))
    return env


class _Confined(FileSystemLoader):
    """A portfolio's templates folder, from which a symbolic link cannot lead out (to /etc/passwd, say)."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.folder = folder.parent.resolve() / folder.name  # a templates folder that is itself a link leads out too

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if not Path(filename).resolve().is_relative_to(self.folder):
            raise TemplateFailure(f"template '{template}' leads outside the portfolio's templates folder")
        return source, filename, uptodate


def render(env: Sandbox, name: str, context: Mapping[str, Any]) -> str:
    """Template `name` rendered with `context` within the environment's limits; any failure as one line
    naming the file and line."""
    try:
        with bounded(env.limits):
            return collect(env.get_template(name).generate(context), env.limits.characters)
    except TemplateNotFound as error:
        raise TemplateFailure(f"no template '{error.name}' in templates/ or pfm's own") from None
    except TemplateSyntaxError as error:
        raise TemplateFailure(f"{error.filename or error.name}:{error.lineno}: {error.message}") from None
    except TemplateError as error:
        raise TemplateFailure(f"{_where(error)}{error.message or type(error).__name__}") from None
    except Exceeded as error:  # while compiling, before any template frame, it is at least the template's
        raise TemplateFailure(f"{_where(error) or name + ': '}{error}") from None
    except MemoryError as error:
        megabytes = env.limits.memory // 2**20
        raise TemplateFailure(f"{_where(error)}rendering needs more memory than the {megabytes:,} MB allowed") from None
    except RecursionError as error:  # a macro calling itself, a template including itself
        raise TemplateFailure(f"{_where(error)}macros, includes or blocks nested too deeply") from None
    # A filter given the wrong type (`{{ x | dictsort }}` on a list), `{{ 1 / 0 }}`, `{{ x[99] }}`: the template's fault.
    except (ArithmeticError, AttributeError, LookupError, RuntimeError, TypeError, ValueError) as error:
        raise TemplateFailure(f"{_where(error)}{type(error).__name__}: {error}") from None


def _where(error: BaseException) -> str:
    """The template file and line an error came from: the innermost template frame of its traceback, as
    Jinja rewrites it to the template's lines, or (for Exceeded, which Jinja lets pass) still compiled code."""
    place = ""
    for frame, line in traceback.walk_tb(error.__traceback__):
        template = frame.f_globals.get(TEMPLATE)
        if template is not None:
            place = f"{template.filename}:{template.get_corresponding_lineno(line)}: "
        elif "__jinja_exception__" in frame.f_globals:  # a frame Jinja made up to show the template's line
            place = f"{frame.f_code.co_filename}:{line}: "
    return place


_WHITE = str.maketrans("\t\n\r", "   ")  # white space HTML shows as a space; its own spaces stay where they are


@pass_eval_context
def _finalize(context: EvalContext, value: Any) -> Any:
    """Every printed value: already safe, or for HTML breakable (autoescaping follows), else Markdown-escaped."""
    if isinstance(value, Markup | int | float):
        return value
    if context.autoescape:  # Jinja escapes whatever this returns; HTML cannot hold control characters
        return breakable(escape_controls(value.translate(_WHITE))) if isinstance(value, str) else value
    text = str(value)  # a path or a list is escaped too, not only a string
    # One line of Markdown, but a separator such as ", " keeps its spaces.
    lead, trail = " " if text[:1].isspace() else "", " " if text[-1:].isspace() and text.strip() else ""
    return Markup(lead + md_text(text) + trail)


def breakable(text: str) -> str:
    """Text whose very long words may wrap: a zero-width space every LONG_WORD characters inside them.

    Letting every character break (CSS `overflow-wrap: anywhere`) would do the same but makes
    WeasyPrint measure each table cell character by character: three times slower.
    """
    if len(text) <= LONG_WORD:
        return text
    return _LONG_WORD.sub(lambda match: "\u200b".join(_chunks(match.group(), LONG_WORD)), text)


def _chunks(word: str, size: int) -> list[str]:
    return [word[start : start + size] for start in range(0, len(word), size)]


def _filters(currency: str) -> dict[str, Callable[..., Any]]:
    def money(amount: float | None) -> str:
        """Whole units with thousands separators, as `pfm finance` prints them: 1,250,000."""
        return EMPTY if amount is None else f"{amount:,.0f}"

    def compact(amount: float | None, signed: bool = False) -> str:
        """At a glance: £1.2M, £350k."""
        return EMPTY if amount is None else compact_money(amount, currency, signed=signed)

    return {
        "money": money,
        "compact": compact,
        "number": number,
        "percent": percent,
        "price": price,
        "md": lambda text, limit=None: Markup(md_text(str(text), limit)),
        "cut": cut,
        "headline": headline,
    }


def number(value: float | None, places: int = 2) -> str:
    """A score or ratio: 1,234.57."""
    if value is None:
        return EMPTY
    return f"{value:,.{places}f}" if math.isfinite(value) else ("∞" if value > 0 else "-∞")


def price(left_out: Any) -> str:
    """An entry price as `pfm select` prints it: the figure where proven, else the interval it lies in."""
    cell = left_out.price_cell
    return cell if isinstance(cell, str) else number(cell)


def percent(value: float | None, places: int = 1) -> str:
    """A fraction as a percentage: 0.123 -> 12.3 %."""
    if value is None:
        return EMPTY
    return f"{value * 100:.{places}f} %" if math.isfinite(value) else "∞"


def cut(text: str, limit: int = 80) -> str:
    """Text on one line, at most `limit` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
