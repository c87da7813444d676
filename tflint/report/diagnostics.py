"""What a finding is: its place, code, severity and message, and how noqa silences it."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Severity":
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (use error, warning or info)") from None


@dataclass(frozen=True, slots=True)
class Span:
    """1-based line and column; end_col is exclusive, as in SARIF."""

    line: int
    col: int
    end_line: int
    end_col: int


@dataclass(frozen=True, slots=True)
class Related:
    """Another place that explains a finding, e.g. the model code that reaches a helper."""

    path: str
    span: Span
    message: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A safe rewrite: `content` replaces the source text at `span`."""

    title: str
    span: Span
    content: str


@dataclass(frozen=True, slots=True)
class ConstructorFlag:
    """A flag a layer reads off `self` that its constructor's parameter set: `self.causal` after
    `self.causal = causal` in `__init__(self, ..., causal=True)`. Whether it is true depends on where
    the class is built, which the project index sees (tflint/project/settle.py)."""

    cls: str  # the class, as the project index names it in its file
    parameter: str
    position: int | None  # among __init__'s positional parameters after self; None: keyword-only
    default: str | None  # "True" or "False"; None: no default, or one that is not a bool literal


@dataclass(slots=True)
class Diagnostic:
    path: str
    span: Span
    code: str
    name: str
    severity: Severity
    message: str
    op: str | None = None
    confirmed: bool | None = None
    fix: Fix | None = None
    related: tuple[Related, ...] = field(default_factory=tuple)
    ops: tuple[str, ...] = ()  # all ops the finding predicts (`op` is the first); --trace matches on them
    # For the project index (tflint/project/): the def the finding sits in, and whether the file's own
    # call graph reaches it (reach.py's REACHED, LIBRARY, UNREACHED); None for module code.
    scope: str | None = None
    reach: str | None = None
    layer_site: bool = False  # about a Keras layer built here (runs when called), not an op run here
    # A warning whose verdict turns on the dynamic dimensions of a tensor the def's caller passes: it
    # fails if that tensor has "any" dynamic dimension, "two" or more, or a dynamic "length" (one after
    # the batch); project/settle.py judges it by the inputs of the models that reach the def.
    fails_if_dynamic: str | None = None
    # With fails_if_dynamic: the finding fails only where this flag is also true; settle.py judges it
    # by the models that build the class with the flag true.
    fails_if_flag: ConstructorFlag | None = None

    def __post_init__(self) -> None:
        if self.op and not self.ops:
            self.ops = (self.op,)

    def sort_key(self) -> tuple:
        return (self.path, self.span.line, self.span.col, self.code)


@dataclass
class FileResult:
    """What linting one file gave (engine.lint_file, or the result cache)."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    fixed_source: bytes | None = None  # set when --fix changed the file
    summary: dict | None = None  # what the file tells the project index (project/summary.py), if asked
    fixed_from: tuple | None = None  # with fixed_source: source.rewrite.snapshot of the bytes it was made from


_CODES = r"(?P<codes>[A-Z]+[0-9]*(?:[,\s]+[A-Z]+[0-9]*)*)"
_NOQA = re.compile(r"#\s*noqa(?::\s*" + _CODES + ")?", re.IGNORECASE)
_CODES_IN_LINE = _CODES.replace("\\s", " \\t")  # a whole text: the codes end with their line
# tflint's file-wide noqa, on a line of its own: `# tflint: noqa` (the file), `# tflint: noqa: TFL101` (codes).
_FILE_NOQA = re.compile(r"^[ \t\f\v]*#[ \t]*tflint:[ \t]*noqa\b(?:[ \t]*:[ \t]*" + _CODES_IN_LINE + ")?",
                        re.IGNORECASE | re.MULTILINE)


def noqa_codes(line: str) -> frozenset[str] | None:
    """Codes silenced by a `# noqa` comment on this line: None if none, empty set for all."""
    if "noqa" not in line.lower():
        return None
    match = _NOQA.search(line)
    if match is None:
        return None
    return _code_set(match.group("codes"))


def file_noqa_codes(text: str) -> frozenset[str] | None:
    """Codes the file's `# tflint: noqa` lines silence across it: None if none, empty set for all."""
    if "tflint" not in text.lower():
        return None
    found = [_code_set(m.group("codes")) for m in _FILE_NOQA.finditer(text)]
    if not found:
        return None
    return frozenset() if frozenset() in found else frozenset().union(*found)


def _code_set(codes: str | None) -> frozenset[str]:
    return frozenset(c.upper() for c in re.split(r"[,\s]+", codes) if c) if codes else frozenset()


def silenced_by_comment(code: str, line: str, in_file: frozenset[str] | None, noqa: bool) -> bool:
    """Whether a `# noqa` on the finding's line (where noqa comments are honoured) or the file's
    `# tflint: noqa` (file_noqa_codes) silences `code`."""
    return noqa and is_silenced(code, noqa_codes(line)) or is_silenced(code, in_file)


def is_silenced(code: str, silenced: frozenset[str] | None) -> bool:
    if silenced is None:
        return False
    return not silenced or any(code.startswith(prefix) for prefix in silenced)


def code_matches(code: str, prefixes: tuple[str, ...]) -> bool:
    return any(code.startswith(p) for p in prefixes)
