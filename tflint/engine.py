"""Lint one file: decode, parse once, walk once, run every enabled rule, place and filter findings."""

from __future__ import annotations

import ast
import contextlib
import functools
import gc
import re

import libcst as cst

from tflint import knowledge

from tflint.report import positions

from tflint.source import prefilter

from tflint.analysis import reach
from tflint.config import Settings
from tflint.context import Context, Report, related_in_file
from tflint.report.diagnostics import (Diagnostic, FileResult, Fix, Severity, Span, file_noqa_codes,
                                      silenced_by_comment)
from tflint.source.files import read_source
from tflint.source.parsing import FileProblem, Source, check_compiles, check_size, cpython_tree, decode, parse, parse_checked
from tflint.source.prefilter import FileFacts, mentions_tf
from tflint.api import Rule
from tflint.project.summary import summarize
from tflint.walk import walk

# `# tflint: target=select` in a file's first lines: that file's model is meant for that target.
_TARGET_PRAGMA = re.compile(r"^#[ \t]*tflint:[ \t]*target[ \t]*=[ \t]*([^\s#]*)", re.MULTILINE)


@functools.cache
def all_rules() -> tuple[type[Rule], ...]:
    from tflint.rules import ALL_RULES

    return ALL_RULES


def rule_by_code(code: str) -> type[Rule] | None:
    return next((r for r in all_rules() if r.code == code.upper()), None)


@functools.cache
def _walking_rules() -> tuple[type[Rule], ...]:
    """The rules that read the tree (the others report from the converter's trace)."""
    return tuple(r for r in all_rules() if r.node_types() or r.finish is not Rule.finish)


def prepare(settings: Settings) -> None:
    """Load what linting by `settings` reads in every file: the rules, the op knowledge and the
    prefilter's trigger tables; before forking workers, so that they share it."""
    known = knowledge.load(settings.tf_version)
    for rule in _walking_rules():
        prefilter.triggers_by_key(rule, known, settings.target)


def lint_file(path: str, settings: Settings, fix: bool = False, *, project: bool = False) -> FileResult:
    try:
        data = read_source(path)
    except IsADirectoryError:
        return _problem(path, FileProblem("TFL002", "is a directory, not a file"), settings)
    except OSError as e:
        return _problem(path, FileProblem("TFL002", f"cannot read: {e.strerror or e}"), settings)
    return lint_bytes(path, data, settings, fix, project=project)


def lint_bytes(path: str, data: bytes, settings: Settings, fix: bool = False, *,
               project: bool = False) -> FileResult:
    try:
        source = decode(data)
    except FileProblem as problem:
        return _problem(path, problem, settings)
    return lint_text(path, source, settings, fix, project=project)


def lint_text(path: str, source: Source, settings: Settings, fix: bool = False, *,
              tree: ast.Module | None = None, project: bool = False, summarized: bool | None = None) -> FileResult:
    """Lint decoded source; any failure becomes a TFL0xx finding for this file alone.

    `tree`: CPython's parse of the source, where the caller has one (flake8 has).
    `project`: the file is one of a project the caller settles with tflint/project/ (findings no
    model in this file reaches are left to the index).
    `summarized`: the result carries the file's summary, for the index (default: `project`; the
    flake8 plugin settles by an index it already has).
    """
    summarized = project if summarized is None else summarized
    if not mentions_tf(source.text):  # a package's __init__ may still re-export what models use
        return FileResult(path, summary=_init_summary(path, source.text) if summarized else None)
    if settings.noqa and _silenced_file(source.text) or file_noqa_codes(source.text) == frozenset():
        return FileResult(path)
    try:
        with _cyclic_gc_paused():
            return lint_source(path, source, settings, fix, tree, project, summarized)
    except FileProblem as problem:
        return _problem(path, problem, settings)
    except RecursionError:
        return _problem(path, FileProblem("TFL003", "analysis stopped: code nested too deeply"), settings)
    except Exception as e:  # a bug in tflint must not cost the other files their findings
        return _problem(path, FileProblem("TFL003", f"internal error, please report: {type(e).__name__}: {e}"),
                        settings)


def _init_summary(path: str, text: str) -> dict | None:
    if not path.endswith("__init__.py"):
        return None
    try:
        return summarize(FileFacts(text, cpython_tree(text)))
    except FileProblem:
        return None


# flake8's file-wide noqa: a line that starts `# flake8: noqa` (or `flake8=noqa`) silences the file.
_FILE_NOQA = re.compile(r"^[ \t\f\v]*# flake8[:=][ \t\f\v]*noqa", re.IGNORECASE | re.MULTILINE)


def _silenced_file(text: str) -> bool:
    return "flake8" in text.lower() and _FILE_NOQA.search(text) is not None


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
    """The target a file's pragma names in its first three lines, else `default`; a FileProblem
    (a warning) for a target it does not know."""
    head = "\n".join(text.split("\n", 3)[:3])
    match = _TARGET_PRAGMA.search(head)
    if match is None:
        return default
    if match.group(1) not in knowledge.TARGETS:
        raise FileProblem("TFL003", f"unknown target {match.group(1)!r} in the tflint pragma (use one of "
                                    f"{', '.join(knowledge.TARGETS)}): linted for {default}",
                          head.count("\n", 0, match.start()) + 1, severity=Severity.WARNING)
    return match.group(1)


def lint_source(path: str, source: Source, settings: Settings, fix: bool = False,
                tree: ast.Module | None = None, project: bool = False, summarized: bool = False) -> FileResult:
    try:
        target = file_target(source.text, settings.target)
    except FileProblem as pragma:
        result = _lint_for(settings.target, path, source, settings, fix, tree, project, summarized)
        result.diagnostics = sorted([*_problem(path, pragma, settings).diagnostics, *result.diagnostics],
                                    key=Diagnostic.sort_key)
        return result
    return _lint_for(target, path, source, settings, fix, tree, project, summarized)


def _lint_for(target: str, path: str, source: Source, settings: Settings, fix: bool,
              tree: ast.Module | None, project: bool, summarized: bool) -> FileResult:
    rules = [r for r in _walking_rules() if settings.enabled(r.code, path)]
    known = knowledge.load(settings.tf_version)
    given = tree is not None  # flake8's: its pyflakes reports what the compiler refuses
    if given:
        check_size(source.text)
    else:
        tree = cpython_tree(source.text)
    facts = FileFacts(source.text, tree)
    summary = summarize(facts) if summarized else None
    rules = prefilter.can_report(rules, known, target, facts)
    if not rules:
        return FileResult(path, summary=summary)
    if not given:  # only here: compiling costs as much as parsing, and a file no rule reads needs neither
        check_compiles(tree)
    module = parse_checked(source.text, tree)
    wanted = tuple({t for r in rules for t in r.node_types()})
    ctx = Context(path, module, target, known, walk(module, wanted), project)
    _run_rules(ctx, rules)
    reach.apply(ctx)
    kept = _diagnostics(ctx, source.text, tree, settings)
    result = FileResult(path, sorted((d for _, d in kept), key=Diagnostic.sort_key), summary=summary)
    if fix:
        fixed = apply_fixes(module, [r for r, _ in kept if r.fix], source.text)
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


def _diagnostics(ctx: Context, text: str, tree: ast.Module, settings: Settings) -> list[tuple[Report, Diagnostic]]:
    """Each report that survives select/ignore and noqa, with its placed diagnostic."""
    if not ctx.reports:
        return []
    nodes = {r.node for r in ctx.reports}
    nodes.update(node for r in ctx.reports for node, _ in r.related)
    nodes.update(r.fix[1] for r in ctx.reports if r.fix)
    spans = positions.spans(ctx.module, nodes, ctx.walked.parent, tree)
    lines = text.splitlines()
    in_file = file_noqa_codes(text)  # tflint's own pragma: honoured under flake8 too
    out = []
    for r in ctx.reports:
        span = spans[r.node]
        line_text = lines[span.line - 1] if span.line <= len(lines) else ""
        if not settings.enabled(r.code, ctx.path) or silenced_by_comment(r.code, line_text, in_file, settings.noqa):
            continue
        fix = None
        if r.fix:
            title, old, new = r.fix
            fix = Fix(title, spans[old], ctx.module.code_for_node(new))
        out.append((r, Diagnostic(ctx.path, span, r.code, r.name, r.severity, r.message,
                                  r.ops[0] if r.ops else None, None, fix,
                                  related_in_file(ctx.path, spans, r.related), r.ops, r.scope, r.reach, r.layer_site,
                                  r.fails_if_dynamic, r.fails_if_flag)))
    return out


def _problem(path: str, problem: FileProblem, settings: Settings) -> FileResult:
    if not settings.enabled(problem.code, path):
        return FileResult(path)
    rule = rule_by_code(problem.code)
    span = Span(problem.line, problem.col, problem.line, problem.col)
    return FileResult(path, [Diagnostic(path, span, problem.code, rule.name if rule else "file-problem",
                                        problem.severity, str(problem))])


class _Replace(cst.CSTTransformer):
    def __init__(self, replacements: dict[cst.CSTNode, cst.CSTNode]) -> None:
        super().__init__()
        self.replacements = replacements

    def on_leave(self, original_node, updated_node):
        return self.replacements.get(original_node, updated_node)


def apply_fixes(module: cst.Module, reports: list[Report], text: str) -> str | None:
    """`text` (the module's source) with every fix applied, or None if the result would not parse or
    libcst's tree does not give back `text` exactly (it drops a final bare \r, and some comment, blank
    and backslash-continued lines, e.g. an indented comment before a whitespace-only last line)."""
    replacements = {r.fix[1]: r.fix[2] for r in reports}
    if not replacements:
        return None
    unchanged = module.code
    lost = text[len(unchanged):] if text.startswith(unchanged) else None
    if lost not in ("", "\r"):
        return None
    code = module.visit(_Replace(replacements)).code + lost
    try:
        parse(code)  # CPython's checks first: they refuse what would crash libcst's parser
    except FileProblem:
        return None
    return code
