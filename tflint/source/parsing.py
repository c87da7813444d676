"""From a file's bytes to its trees: decoding, CPython's parse and checks, libcst's parse."""

from __future__ import annotations

import ast
import codecs
import io
import os
import queue
import re
import threading
import tokenize
import warnings
from dataclasses import dataclass

import libcst as cst
from libcst._nodes.base import CSTNode

from tflint.report.diagnostics import Severity

_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass
class Source:
    text: str
    encoding: str


class FileProblem(Exception):
    """The file cannot be linted (or only in part: a warning); `code` says why (TFL0xx)."""

    def __init__(self, code: str, message: str, line: int = 1, col: int = 1,
                 severity: Severity = Severity.ERROR) -> None:
        super().__init__(message)
        self.code, self.line, self.col, self.severity = code, line, col, severity


def decode(data: bytes) -> Source:
    if data.startswith(_WIDE_BOMS):
        raise FileProblem("TFL002", "encoded as UTF-16 or UTF-32 (byte order mark): Python reads source as UTF-8 "
                                    "or the ASCII-compatible encoding a coding: line declares")
    if b"\0" in data:
        raise FileProblem("TFL002", "binary file (contains NUL bytes), not Python source")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as e:
        raise FileProblem("TFL002", f"cannot decode: {e}") from None
    try:
        return Source(data.decode(encoding), encoding)
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise FileProblem("TFL002", f"cannot decode as {encoding}: byte {data[e.start]:#04x} at offset {e.start}",
                          line) from None


# libcst's parse time grows faster than the file and its tree holds about a kilobyte per token:
# a file with more tokens than this is reported, not parsed (real model files are far below it).
MAX_TOKENS = 400_000
_TOKEN = re.compile(r"\w+|[^\w \t]")
# The native parser also recurses once per item of flat chains CPython accepts (`a and a and ...`);
# so it runs on a thread whose stack holds the longest chain that fits in MAX_TOKENS.
_PARSER_STACK_BYTES = 512 << 20


def check_size(text: str) -> None:
    if len(text) > MAX_TOKENS:
        tokens = _TOKEN.subn("", text)[1]
        if tokens > MAX_TOKENS:
            # A warning: the file is not known to be broken, only not checked by any rule.
            raise FileProblem("TFL003", f"not analysed: {tokens:,} tokens, over tflint's limit of {MAX_TOKENS:,} "
                                        f"for one file (parsing it would take minutes and gigabytes), so no rule "
                                        f"checked it; exclude it or split it", severity=Severity.WARNING)


def cpython_tree(text: str) -> ast.Module:
    """CPython's parse of code that is not too large; it stops, before libcst sees it, code that is not
    Python or nested too deeply (libcst's native parser would overflow its stack: a segfault).

    CPython names syntax errors better and places them more exactly than libcst.
    """
    check_size(text)
    return _cpython(ast.parse, text)


def check_compiles(tree: ast.Module) -> None:
    """The compiler's own refusals of parsed code (`return` outside a function), which libcst accepts."""
    _cpython(compile, tree, "<tflint>", "exec", dont_inherit=True)


def _cpython(step, *args, **kwargs):
    try:
        with warnings.catch_warnings():  # the user's invalid escapes and the like are not tflint's to report
            warnings.simplefilter("ignore")
            return step(*args, **kwargs)
    except SyntaxError as e:
        raise FileProblem("TFL001", f"syntax error: {e.msg}", e.lineno or 1, e.offset or 1) from None
    except ValueError as e:  # NUL bytes, on Pythons that say so with a ValueError
        raise FileProblem("TFL001", f"syntax error: {e}") from None
    except (RecursionError, MemoryError):  # CPython's parser gives up on the same code: so does tflint
        raise FileProblem("TFL003", "analysis stopped: code nested too deeply") from None


class _BigStackParser:
    """libcst's parser on one long-lived thread with a big stack, started on first use in each process.

    Long-lived, because a fresh thread pays page faults for the stack the parser recurses into.
    """

    def __init__(self) -> None:
        self._pid: int | None = None
        self._lock = threading.Lock()

    def _start(self) -> None:
        self._requests: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._replies: queue.SimpleQueue = queue.SimpleQueue()
        previous = threading.stack_size(_PARSER_STACK_BYTES)
        try:
            threading.Thread(target=self._serve, name="tflint-parser", daemon=True).start()
        finally:
            threading.stack_size(previous)
        self._pid = os.getpid()  # a forked child has no such thread: it starts its own

    def _serve(self) -> None:
        while True:
            text = self._requests.get()
            try:
                self._replies.put(_parse_unvalidated(text))
            except BaseException as e:  # re-raised on the calling thread
                self._replies.put(e)

    def parse(self, text: str) -> cst.Module:
        with self._lock:
            if self._pid != os.getpid():
                self._start()
            self._requests.put(text)
            outcome = self._replies.get()
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


_parse_on_big_stack = _BigStackParser().parse
_VALIDATE = CSTNode.__post_init__


def _parse_unvalidated(text: str) -> cst.Module:
    """libcst's parse without its nodes' validation, which checks what its own parser built from
    code CPython parsed first: 14-17% of the parse (measured on tf-models-official; libcst's own
    comment on `CSTNode.__post_init__` says as much). The calling thread waits meanwhile, and tflint
    builds nodes on no other thread."""
    CSTNode.__post_init__ = _no_validation
    try:
        return cst.parse_module(text)
    finally:
        CSTNode.__post_init__ = _VALIDATE


def _no_validation(node: CSTNode) -> None:
    return None


def parse(text: str) -> cst.Module:
    """libcst's tree of `text`, or FileProblem (CPython's checks first)."""
    tree = cpython_tree(text)
    check_compiles(tree)
    return parse_checked(text, tree)


def parse_checked(text: str, tree: ast.Module) -> cst.Module:
    """libcst's tree of code CPython parsed as `tree`: in pieces where the code is long (_cuts)."""
    bounds = [0, *_cuts(text, tree), len(text)]
    try:
        pieces = [_parse_on_big_stack(text[a:b]) for a, b in zip(bounds, bounds[1:])]
    except cst.ParserSyntaxError as e:
        raise _syntax_problem(e) from None  # positions in a later piece are off: CPython accepted it anyway
    except RecursionError:
        raise FileProblem("TFL001", "cannot parse: nesting too deep for the parser") from None
    return _joined(pieces)


# libcst's parse time grows faster than the code: a generated 1 MB file takes 7.0 s in one piece,
# 3.0-3.5 s in pieces of 16 KB (measured; no change on files of tf-models-official, 100 KB at most);
# each piece ends at a top-level statement.
_PIECE_CHARS = 16384
# Lines between two top-level statements that the next one owns whole in libcst's tree: blank
# lines and comments at column 0 (a comment indented deeper belongs to the block before).
_OWNED_BY_NEXT = re.compile(r"(?:(?:#[^\r\n]*)?\r?\n)*")


def _cuts(text: str, tree: ast.Module) -> list[int]:
    """Offsets at which the code splits into pieces whose trees, joined (_joined), are its tree."""
    if len(text) < 2 * _PIECE_CHARS or text.count("\r") != text.count("\r\n"):  # lone CRs: lines differ
        return []
    line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
    cuts = [0]
    for before, after in zip(tree.body, tree.body[1:]):
        cut, next_start = line_starts[before.end_lineno], line_starts[first_line(after) - 1]
        if cut - cuts[-1] >= _PIECE_CHARS and cut <= next_start and _OWNED_BY_NEXT.fullmatch(text, cut, next_start):
            cuts.append(cut)
    return cuts[1:]


def first_line(statement: ast.stmt) -> int:
    """Its decorators' line, if any: where its code starts."""
    return min([statement.lineno, *(d.lineno for d in getattr(statement, "decorator_list", ()))])


def _joined(pieces: list[cst.Module]) -> cst.Module:
    """One module of consecutive pieces: a later piece's header lines lead its first statement."""
    first = pieces[0]
    body = list(first.body)
    for piece in pieces[1:]:
        lead, *rest = piece.body
        body += [lead.with_changes(leading_lines=[*piece.header, *lead.leading_lines]), *rest]
    # the indent libcst detects: the first indented block's, in the first piece that has one
    indent = next((p.default_indent for p in pieces if any(isinstance(s, cst.BaseCompoundStatement)
                                                           for s in p.body)), first.default_indent)
    return first.with_changes(body=body, footer=pieces[-1].footer, default_indent=indent,
                              has_trailing_newline=pieces[-1].has_trailing_newline)


def _syntax_problem(error: cst.ParserSyntaxError) -> FileProblem:
    """CPython accepted the code (checked first), libcst did not: newer syntax, or a libcst bug."""
    first = str(error).split("\n", 1)[0]
    return FileProblem("TFL001", f"libcst cannot parse this file: {first}", error.raw_line, error.raw_column + 1)
