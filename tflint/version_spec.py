"""Version specifiers as in PEP 440, for `required-version`: release numbers only (`>=0.1`,
`~=0.1.2`, `==0.1.*`, `!=0.2`, a bare `0.1.0` meaning `==`), clauses joined by commas."""

from __future__ import annotations

import re

_CLAUSE = re.compile(r"\s*(~=|==|!=|<=|>=|<|>)?\s*v?(\d+(?:\.\d+)*)(\.\*)?\s*")


def satisfies(version: str, spec: str) -> bool:
    """Whether `version` (e.g. "0.1.0") meets every clause of `spec`; ValueError for a malformed spec."""
    clauses = spec.split(",")
    if not spec.strip():
        raise ValueError(f"{spec!r} is not a version specifier (write e.g. \">=0.1\")")
    return all(_meets(_release(version), clause) for clause in clauses)


def _release(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _padded(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    width = max(len(a), len(b))
    return a + (0,) * (width - len(a)), b + (0,) * (width - len(b))


def _meets(version: tuple[int, ...], clause: str) -> bool:
    match = _CLAUSE.fullmatch(clause)
    if match is None:
        raise ValueError(f"{clause.strip()!r} is not a version specifier (write e.g. \">=0.1\")")
    op, wanted, wildcard = match.group(1) or "==", _release(match.group(2)), bool(match.group(3))
    if wildcard and op not in ("==", "!="):
        raise ValueError(f"{clause.strip()!r}: a wildcard only goes with == or !=")
    if op == "~=":
        if len(wanted) < 2:
            raise ValueError(f"{clause.strip()!r}: ~= needs at least two numbers (e.g. ~=0.1)")
        return _meets(version, f">={match.group(2)}") and version[:len(wanted) - 1] == wanted[:-1]
    if wildcard:
        return (version[:len(wanted)] == wanted) == (op == "==")
    have, want = _padded(version, wanted)
    return {"==": have == want, "!=": have != want, "<=": have <= want, ">=": have >= want,
            "<": have < want, ">": have > want}[op]
