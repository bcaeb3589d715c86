"""Bounds on rendering one template: its time, its output, the memory it takes and the values its operators build.

A portfolio's templates are written by whoever can open a pull request, and CI renders them. The sandbox
keeps them from files and from changing data; these bounds keep them from hanging the build or exhausting
the machine. Each is generous: the example portfolio's pack renders in 0.02 s to 174,000 characters of
HTML, a generated 1,000-item pack in 0.3 s to 1.2 million.

- Time: a trace function looks at the clock on every Python call (a macro, a filter, a generator
  resumed) and on every line of template code (each turn of a loop), and stops the render at the deadline.
- Output: the render is streamed and stops once it passes the character limit.
- Operators: `*` and `**` are checked before Python builds the value, since one of them turns small
  numbers into gigabytes (`'x' * 20000000000`) or into minutes of arithmetic that no clock can interrupt.
- Memory, for everything else that builds big values in C (`center(20000000000)`, doubling a string in a
  loop): on Linux the process's address space may grow by at most the memory limit while rendering, so
  such an allocation fails with MemoryError instead of calling the out-of-memory killer.
"""

from __future__ import annotations

import math
import os
import reprlib
import sys
import time
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any, cast

SECONDS = 60.0  # to render one template
CHARACTERS = 50_000_000  # of one rendered document, and of any string or list an operator builds
MEMORY = 2 * 2**30  # bytes of address space on top of what the process held when rendering began
NUMBER_BITS = 14_000  # of an integer an operator builds: about the 4,300 digits Python will still print

TEMPLATE = "__jinja_template__"  # in the globals of code compiled from a template: its Template


@dataclass(frozen=True, slots=True)
class Limits:
    """How long one template may render, how much text it may produce, how much memory it may add."""

    seconds: float = SECONDS
    characters: int = CHARACTERS
    memory: int = MEMORY


class Exceeded(BaseException):
    """A template went past one of its limits.

    Not an `Exception`, so that no `except Exception` on the way (Jinja's own, a filter's) can swallow it
    and let the template run on: the trace function that raises it is switched off by Python once it has.
    """


@contextmanager
def bounded(limits: Limits) -> Iterator[None]:
    """Exceeded once the block has run for `limits.seconds`, MemoryError once it allocates `limits.memory`.

    Loading a template belongs inside too: Jinja works out constant expressions when it compiles them,
    `{{ 'x' | center(20000000000) }}` included.
    """
    clock, previous = _Clock(limits.seconds), sys.gettrace()
    with _address_space(limits.memory):
        sys.settrace(clock.call)
        try:
            yield
        finally:
            sys.settrace(previous)


def collect(pieces: Iterator[str], characters: int) -> str:
    """The pieces of a streamed render joined, unless together they pass `characters`: then Exceeded, raised
    inside the template so that its traceback shows the line that printed the piece."""
    collected, length = [], 0
    for piece in pieces:
        length += len(piece)
        if length > characters:
            break
        collected.append(piece)
    else:
        return "".join(collected)
    error = Exceeded(f"the output passes {characters:,} characters")
    cast(Generator[str, None, None], pieces).throw(error)  # Template.generate is a generator
    raise error  # should the template have ignored it


def check_operation(operator: str, left: Any, right: Any, characters: int) -> None:
    """Exceeded if `left operator right` (`*` or `**`) would build a sequence longer than `characters`
    or an integer wider than NUMBER_BITS; checked before Python builds it."""
    size, unit = _result_size(operator, left, right)
    if (unit == "items" and size > characters) or (unit == "bits" and size > NUMBER_BITS):
        shown = f"{reprlib.repr(left)} {operator} {reprlib.repr(right)}"
        made = f"{size:,} items" if unit == "items" else f"a number of {size:,} bits"
        raise Exceeded(f"{shown} would make {made}")


def _result_size(operator: str, left: Any, right: Any) -> tuple[int, str]:
    """How big `left operator right` would be: items of a sequence, bits of an integer, or (0, "") for
    anything else (floats overflow to an error on their own)."""
    sequence = (str, bytes, list, tuple)
    if operator == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
            return math.ceil(right * math.log2(abs(left))), "bits"
    elif isinstance(left, int) and isinstance(right, int):
        return left.bit_length() + right.bit_length(), "bits"
    elif isinstance(left, sequence) and isinstance(right, int):
        return len(left) * right, "items"
    elif isinstance(right, sequence) and isinstance(left, int):
        return len(right) * left, "items"
    return 0, ""


class _Clock:
    """A trace function that raises Exceeded once the deadline has passed."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def call(self, frame: FrameType, event: str, arg: Any) -> Any:
        """On every call; template code is then followed line by line, so that a loop is seen turning."""
        self.check()
        return self.line if TEMPLATE in frame.f_globals else None

    def line(self, frame: FrameType, event: str, arg: Any) -> Any:
        self.check()
        return self.line

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise Exceeded(f"rendering took longer than {self.seconds:g} s")


@contextmanager
def _address_space(budget: int) -> Iterator[None]:
    """At most `budget` more bytes of address space while the block runs, where the system says how much the
    process holds (Linux); elsewhere no limit."""
    held = _held()
    if held is None:
        yield
        return
    import resource  # Unix only, and only reached on Linux

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = held + budget if hard == resource.RLIM_INFINITY else min(held + budget, hard)
    if soft != resource.RLIM_INFINITY and soft <= limit:  # already as tight
        yield
        return
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _held() -> int | None:
    """Bytes of address space the process holds, or None where /proc does not say."""
    try:
        pages = int(Path("/proc/self/statm").read_text(encoding="ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")
