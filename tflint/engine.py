"""Lint one file: decode, parse once, walk once, run every enabled rule, place and filter findings."""

from __future__ import annotations

import ast
import codecs
import contextlib
import functools
import gc
import io
import os
import queue
import re
import threading
import tokenize
import warnings
from dataclasses import dataclass

import libcst as cst

from . import knowledge, positions, prefilter, reach
from .config import Settings
from .context import Context, Report, related_in_file
from .diagnostics import Diagnostic, FileResult, Fix, Severity, Span, is_silenced, noqa_codes
from .discovery import read_source
from .prefilter import FileFacts, mentions_tf
from .rule import Rule
from .scopes import walk

_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# `# tflint: target=select` in a file's first lines: that file's model is meant for that target.
_TARGET_PRAGMA = re.compile(r"^#\s*tflint:\s*target=(\w+)", re.MULTILINE)


@dataclass
class Source:
    text: str
    encoding: str


class FileProblem(Exception):
    """The file cannot be linted; `code` says why (TFL0xx)."""

    def __init__(self, code: str, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.code, self.line, self.col = code, line, col


@functools.cache
def all_rules() -> tuple[type[Rule], ...]:
    from .rules import ALL_RULES

    return ALL_RULES


def rule_by_code(code: str) -> type[Rule] | None:
    return next((r for r in all_rules() if r.code == code.upper()), None)


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


def _check_size(text: str) -> None:
    if len(text) > MAX_TOKENS:
        tokens = _TOKEN.subn("", text)[1]
        if tokens > MAX_TOKENS:
            raise FileProblem("TFL003", f"not analysed: {tokens:,} tokens, over tflint's limit of {MAX_TOKENS:,} "
                                        f"for one file (parsing it would take minutes and gigabytes); exclude it "
                                        f"or split it")


def _cpython_tree(text: str) -> ast.Module:
    """CPython's parse of code that is not too large; it stops, before libcst sees it, code that is not
    Python or nested too deeply (libcst's native parser would overflow its stack: a segfault).

    CPython names syntax errors better and places them more exactly than libcst; compiling the
    tree adds the compiler's own refusals (`return` outside a function).
    """
    _check_size(text)
    try:
        with warnings.catch_warnings():  # the user's invalid escapes and the like are not tflint's to report
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
            compile(tree, "<tflint>", "exec", dont_inherit=True)
            return tree
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
                self._replies.put(cst.parse_module(text))
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


def parse(text: str) -> cst.Module:
    _cpython_tree(text)
    return _parse_checked(text)


def _parse_checked(text: str) -> cst.Module:
    try:
        return _parse_on_big_stack(text)
    except cst.ParserSyntaxError as e:
        raise _syntax_problem(e) from None
    except RecursionError:
        raise FileProblem("TFL001", "cannot parse: nesting too deep for the parser") from None


def _syntax_problem(error: cst.ParserSyntaxError) -> FileProblem:
    """CPython accepted the code (checked first), libcst did not: newer syntax, or a libcst bug."""
    first = str(error).split("\n", 1)[0]
    return FileProblem("TFL001", f"libcst cannot parse this file: {first}", error.raw_line, error.raw_column + 1)


def lint_file(path: str, settings: Settings, fix: bool = False) -> FileResult:
    try:
        data = read_source(path)
    except IsADirectoryError:
        return _problem(path, FileProblem("TFL002", "is a directory, not a file"), settings)
    except OSError as e:
        return _problem(path, FileProblem("TFL002", f"cannot read: {e.strerror or e}"), settings)
    return lint_bytes(path, data, settings, fix)


def lint_bytes(path: str, data: bytes, settings: Settings, fix: bool = False) -> FileResult:
    try:
        source = decode(data)
    except FileProblem as problem:
        return _problem(path, problem, settings)
    return lint_text(path, source, settings, fix)


def lint_text(path: str, source: Source, settings: Settings, fix: bool = False, *,
              tree: ast.Module | None = None) -> FileResult:
    """Lint decoded source; any failure becomes a TFL0xx finding for this file alone.

    `tree`: CPython's parse of the source, where the caller has one (flake8 has).
    """
    if not mentions_tf(source.text):
        return FileResult(path)
    try:
        with _cyclic_gc_paused():
            return lint_source(path, source, settings, fix, tree)
    except FileProblem as problem:
        return _problem(path, problem, settings)
    except RecursionError:
        return _problem(path, FileProblem("TFL003", "analysis stopped: code nested too deeply"), settings)
    except Exception as e:  # a bug in tflint must not cost the other files their findings
        return _problem(path, FileProblem("TFL003", f"internal error, please report: {type(e).__name__}: {e}"),
                        settings)


@contextlib.contextmanager
def _cyclic_gc_paused():
    """libcst builds millions of objects with no reference cycles, freed by reference counting; the
    cyclic collector only re-scans them (30% of a 1 MB file's lint time, measured)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def file_target(text: str, default: str) -> str:
    """The target a file's pragma names in its first three lines, else `default`."""
    match = _TARGET_PRAGMA.search("\n".join(text.split("\n", 3)[:3]))
    if match is None:
        return default
    if match.group(1) not in knowledge.TARGETS:
        raise FileProblem("TFL003", f"unknown target {match.group(1)!r} in the tflint pragma "
                                    f"(use one of {', '.join(knowledge.TARGETS)})")
    return match.group(1)


def lint_source(path: str, source: Source, settings: Settings, fix: bool = False,
                tree: ast.Module | None = None) -> FileResult:
    target = file_target(source.text, settings.target)
    rules = [r for r in all_rules() if r.node_types() or r.finish is not Rule.finish]
    rules = [r for r in rules if settings.enabled(r.code, path)]
    known = knowledge.load(settings.tf_version)
    if tree is None:
        tree = _cpython_tree(source.text)
    else:
        _check_size(source.text)
    rules = prefilter.can_report(rules, known, target, FileFacts(source.text, tree))
    if not rules:
        return FileResult(path)
    module = _parse_checked(source.text)
    wanted = tuple({t for r in rules for t in r.node_types()})
    ctx = Context(path, module, target, known, walk(module, wanted))
    _run_rules(ctx, rules)
    reach.apply(ctx)
    kept = _diagnostics(ctx, source.text, settings)
    result = FileResult(path, sorted((d for _, d in kept), key=Diagnostic.sort_key))
    if fix:
        fixed = apply_fixes(module, [r for r, _ in kept if r.fix])
        if fixed is not None and fixed != source.text:
            result.fixed_source = fixed.encode(source.encoding)
    return result


def _run_rules(ctx: Context, rule_classes: list[type[Rule]]) -> None:
    instances = [cls(ctx) for cls in rule_classes]
    handlers: dict[type, list] = {}
    for rule in instances:
        for node_type in rule.node_types():
            handlers.setdefault(node_type, []).append(getattr(rule, f"visit_{node_type.__name__}"))
    for node in ctx.walked.wanted:
        for handler in handlers.get(type(node), ()):
            handler(node)
    for rule in instances:
        rule.finish()


def _diagnostics(ctx: Context, text: str, settings: Settings) -> list[tuple[Report, Diagnostic]]:
    """Each report that survives select/ignore and noqa, with its placed diagnostic."""
    if not ctx.reports:
        return []
    nodes = {r.node for r in ctx.reports}
    nodes.update(node for r in ctx.reports for node, _ in r.related)
    nodes.update(r.fix[1] for r in ctx.reports if r.fix)
    spans = positions.spans(ctx.module, nodes)
    lines = text.splitlines()
    out = []
    for r in ctx.reports:
        span = spans[r.node]
        line_text = lines[span.line - 1] if span.line <= len(lines) else ""
        if not settings.enabled(r.code, ctx.path) or is_silenced(r.code, noqa_codes(line_text)):
            continue
        fix = None
        if r.fix:
            title, old, new = r.fix
            fix = Fix(title, spans[old], ctx.module.code_for_node(new))
        out.append((r, Diagnostic(ctx.path, span, r.code, r.name, r.severity, r.message,
                                  r.ops[0] if r.ops else None, None, fix,
                                  related_in_file(ctx.path, spans, r.related), r.ops)))
    return out


def _problem(path: str, problem: FileProblem, settings: Settings) -> FileResult:
    if not settings.enabled(problem.code, path):
        return FileResult(path)
    rule = rule_by_code(problem.code)
    span = Span(problem.line, problem.col, problem.line, problem.col)
    return FileResult(path, [Diagnostic(path, span, problem.code, rule.name if rule else "file-problem",
                                        Severity.ERROR, str(problem))])


class _Replace(cst.CSTTransformer):
    def __init__(self, replacements: dict[cst.CSTNode, cst.CSTNode]) -> None:
        super().__init__()
        self.replacements = replacements

    def on_leave(self, original_node, updated_node):
        return self.replacements.get(original_node, updated_node)


def apply_fixes(module: cst.Module, reports: list[Report]) -> str | None:
    """The module's code with every fix applied, or None if the result would not parse."""
    replacements = {r.fix[1]: r.fix[2] for r in reports}
    if not replacements:
        return None
    code = module.visit(_Replace(replacements)).code
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(code, "<fixed>", "exec")  # first: it refuses what would crash libcst's parser
        _parse_on_big_stack(code)
    except (cst.ParserSyntaxError, SyntaxError, ValueError):
        return None
    return code
