"""The real cause of an exception, in one line (no TensorFlow needed: unit-tested alone)."""

from __future__ import annotations

import re

_RAISED = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception): ")


def innermost_cause(e: BaseException) -> str:
    """`Type: message` of the exception that started it all, in one line. TensorFlow's tracing
    wraps the real error as `in user code: <frames> <Type>: <message>` (Keras adds lines after)."""
    while (inner := _inner(e)) is not None:
        e = inner
    lines = [line.strip() for line in str(e).strip().splitlines() if line.strip()]
    if lines and lines[0] == "in user code:":
        raised = [line for line in lines if _RAISED.match(line)]
        return (raised or lines)[-1][:500]
    return f"{type(e).__name__}: {lines[0] if lines else ''}"[:500]


def _inner(e: BaseException) -> BaseException | None:
    """The exception `e` was raised from, or during (unless `raise ... from None` hid it)."""
    if e.__cause__ is not None:
        return e.__cause__
    return None if e.__suppress_context__ else e.__context__
