"""The `tflint` command: arguments, running the engine over files, output and exit codes."""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

from tflint import __version__, config, knowledge
from tflint.frontends.cache import Cache, digest, version
from tflint.config import ConfigError, Settings
from tflint.report.diagnostics import Diagnostic, FileResult
from tflint.source import rewrite
from tflint.source.files import files_to_lint, read_source_and_stat
from tflint.report.formats import FORMATS, render
from tflint.report.sizes import parse_size
from tflint.trace.options import DEFAULT_TIMEOUT, TraceOptions, input_shape_arg

# Below this many files a process pool costs more than it saves.
_POOL_MIN_FILES = 16


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        """One line, as every usage error (docs/CONTRACTS.md): no usage block."""
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _positive(kind: type):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            value = 0
        if not value > 0:  # NaN too
            raise argparse.ArgumentTypeError(f"{text!r} is not a positive {'whole ' if kind is int else ''}number")
        return value

    parse.__name__ = kind.__name__  # argparse names the type in its own messages
    return parse


def _checked(parse):
    """argparse `type=` from a parser raising ValueError: a one-line usage error with its reason."""
    def checked(text: str):
        try:
            return parse(text)
        except ValueError as e:
            raise argparse.ArgumentTypeError(str(e)) from None

    checked.__name__ = parse.__name__
    return checked


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="tflint", description="Find where TensorFlow/Keras model code breaks or "
                                                           "degrades when converted to TensorFlow Lite.")
    p.add_argument("paths", nargs="*", default=["."], help="files or folders (default: .)")
    p.add_argument("--target", choices=knowledge.TARGETS, help="what the model must run on (default: builtins); gpu gives builtins' verdicts: "
                        "no GPU-delegate check has evidence behind it yet")
    p.add_argument("--format", choices=(*FORMATS, "markdown", "html"), default="text",
                   help="output format (default: text); markdown and html: --list-ops only")
    p.add_argument("--select", help="comma-separated codes or prefixes to report (default: TFL)")
    p.add_argument("--ignore", help="comma-separated codes or prefixes to leave out")
    p.add_argument("--fix", action="store_true", help="apply safe autofixes in place")
    p.add_argument("--explain", metavar="CODE", help="print a rule's documentation")
    p.add_argument("--list-rules", action="store_true", help="one line per rule: code, name, default severity")
    p.add_argument("--list-ops", nargs="?", const="", metavar="PATTERN",
                   help="what tflint knows about each API (optionally only those matching PATTERN)")
    p.add_argument("--jobs", type=_positive(int), metavar="N", help="parallel workers (default: all cores)")
    p.add_argument("--statistics", action="store_true", help="counts per code after the findings")
    p.add_argument("--no-cache", action="store_true", help="ignore and don't write the result cache")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
    p.add_argument("--config", type=Path, metavar="FILE", help="a pyproject.toml or tflint.toml to read")
    p.add_argument("--tf-version", help="which TensorFlow version's op knowledge to use (default: newest)")
    p.add_argument("--fail-on", choices=("error", "warning", "info"),
                   help="lowest severity that makes the exit code 1 (default: warning)")
    p.add_argument("--trace", action="store_true",
                   help="also import the file(s) in a child process and really convert the model(s)")
    p.add_argument("--trace-timeout", type=_positive(float), default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"--trace: time allowed per file (default: {DEFAULT_TIMEOUT:g})")
    p.add_argument("--entry", action="append", default=[], metavar="NAME",
                   help="--trace: the model, tf.Module, tf.function or factory to convert (repeatable)")
    p.add_argument("--input-shape", action="append", default=[], type=input_shape_arg, metavar="SHAPE",
                   help="--trace: a Keras model input's shape, e.g. 1,224,224,3 or ?,128:int32 (one per input)")
    p.add_argument("--quantization-tolerance", type=_checked(config.tolerance), metavar="SHARE",
                   help="--trace --target int8: int8 error allowed, as a share of an output's range (default: 0.05)")
    p.add_argument("--max-model-size", type=_checked(parse_size), metavar="BYTES",
                   help="--trace: report a converted model larger than this (e.g. 256K, 4M)")
    p.add_argument("--max-arena", type=_checked(parse_size), metavar="BYTES",
                   help="--trace: report a converted model whose activations need more than this")
    p.add_argument("--version", action="version", version=f"tflint {__version__}")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = _settings(args)
        if args.explain:
            return _explain(args.explain, settings)
        if args.list_rules:
            return _list_rules(settings)
        if args.list_ops is not None:
            return _list_ops(args.list_ops, settings, args.format)
        if args.format not in FORMATS:
            raise ConfigError(f"--format {args.format}: only with --list-ops")
        return _lint(args, settings)
    except (ConfigError, ValueError, FileNotFoundError) as e:
        print(f"tflint: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _settings(args: argparse.Namespace) -> Settings:
    settings = config.load(args.config)
    fail_on = config.Severity.parse(args.fail_on) if args.fail_on else None
    return config.with_overrides(settings, target=args.target, select=args.select, ignore=args.ignore,
                                 tf_version=args.tf_version, fail_on=fail_on,
                                 quantization_tolerance=args.quantization_tolerance,
                                 max_model_size=args.max_model_size, max_arena=args.max_arena)


def _explain(code: str, settings: Settings) -> int:
    from tflint import engine

    rule = engine.rule_by_code(code)
    if rule is None:
        raise ConfigError(f"--explain: no rule {code!r} (see --list-rules)")
    print(f"{rule.code} {rule.name} ({rule.severity})\n\n{rule.doc()}{rule.data_doc(knowledge.load(settings.tf_version))}")
    return 0


def _list_rules(settings: Settings) -> int:
    from tflint import engine

    for rule in engine.all_rules():
        mark = "" if settings.enabled(rule.code) else "  (disabled by configuration)"
        print(f"{rule.code}  {rule.name:<28} {rule.severity}{mark}")
    return 0


def _list_ops(pattern: str, settings: Settings, fmt: str) -> int:
    from tflint.knowledge import listing

    if fmt not in listing.FORMATS:
        raise ConfigError(f"--list-ops: --format {fmt} is not one of {', '.join(listing.FORMATS)}")
    text, code = listing.render(knowledge.load(settings.tf_version), pattern, fmt)
    print(text)
    return code


def _lint(args: argparse.Namespace, settings: Settings) -> int:
    files = files_to_lint(args.paths, settings)
    starting = None
    if args.trace:
        from tflint import trace

        options = TraceOptions(args.trace_timeout, entries=tuple(args.entry), input_shapes=tuple(args.input_shape))
        starting = trace.Starting(options)  # its TensorFlow import overlaps the static half
    project = len(files) > 1
    store = None if args.no_cache else result_cache(settings, project)
    results, digests = _run(files, settings, args.fix, args.jobs or os.cpu_count() or 1, store, project)
    fixed = 0
    for i, result in enumerate(results):
        if result.fixed_source is not None and _wrote_fix(result):
            fixed += 1
            results[i], content_version = _lint_one((result.path, settings, False, project))
            digests[result.path] = content_version and content_version[0]
    if project:
        _settle(results, settings, store, digests)
    diagnostics = [d for result in results for d in result.diagnostics]
    traced = None  # what --trace traced, for the output
    if starting:
        diagnostics, traced = trace.run(files, diagnostics, settings, options, starting)
    diagnostics.sort(key=Diagnostic.sort_key)
    sys.stdout.write(render(args.format, diagnostics, target=settings.target, files=len(files),
                            traced=traced))
    if args.statistics:
        _print_statistics(diagnostics, file=sys.stdout if args.format == "text" else sys.stderr)
    if fixed:
        print(f"tflint: fixed {fixed} file(s)", file=sys.stderr)
    failing = any(d.severity >= settings.fail_on for d in diagnostics)
    return 1 if failing and not args.exit_zero else 0


def result_cache(settings: Settings, project: bool) -> Cache:
    """The result cache of these settings; a project run's results (summaries, findings left to the
    project index) differ from a single file's, so each has its own."""
    return Cache(settings.root, f"{settings.cache_key()}|project={project}")


def _settle(results: list[FileResult], settings: Settings, store: Cache | None,
            digests: dict[str, str | None]) -> None:
    """Judge the findings no model of their own file reaches by the whole run's project index; a run
    over the same contents as the cached one takes its answer from the cache (no index to build)."""
    run = digest(repr((os.getcwd(), settings.unreached, sorted(digests.items()))).encode())
    cached = store.settled(run) if store else None
    if cached is not None and cached.keys() == {r.path for r in results}:
        for result in results:
            result.diagnostics = cached[result.path]
        return
    from tflint.project.index import Index
    from tflint.project.settle import settle

    settle(results, Index.build({r.path: r.summary for r in results if r.summary is not None}), settings.unreached)
    if store:
        store.put_settled(run, results)
        store.save()


def _lint_one(job: tuple[str, Settings, bool, bool]) -> tuple[FileResult, tuple | None]:
    """The file's result, and the version (cache.version) of the content it was linted from (None if unreadable)."""
    # Imported here: a run the result cache answers entirely never loads libcst or the rules.
    from tflint import engine

    path, settings, fix, project = job
    try:
        data, status = read_source_and_stat(path)
    except OSError:  # the engine says why, as a TFL002 finding
        return engine.lint_file(path, settings, fix), None
    result = engine.lint_bytes(path, data, settings, fix, project=project)
    if result.fixed_source is not None:
        result.fixed_from = rewrite.snapshot(data, status)
    return result, version(data, status)


def _run(files: list[str], settings: Settings, fix: bool, jobs: int, store: Cache | None,
         project: bool) -> tuple[list[FileResult], dict[str, str | None]]:
    """Results in the order of `files`: from the cache where it holds them, the rest linted anew; and
    each file's content digest (None: unreadable)."""
    results: dict[str, FileResult] = {}
    digests: dict[str, str | None] = {}
    todo = []
    for path in files:
        cached = store.lookup(path, fix) if store else None
        if cached is None:
            todo.append(path)
        else:
            results[path], digests[path] = cached, store.digest_of(path)
    for result, content_version in _lint_all(todo, settings, fix, jobs, project):
        results[result.path] = result
        digests[result.path] = content_version and content_version[0]
        if store and content_version is not None:
            store.put(result.path, content_version, result)
    if store:
        store.save()
    return [results[path] for path in files], digests


def _lint_all(files: list[str], settings: Settings, fix: bool, jobs: int, project: bool):
    jobs_list = [(f, settings, fix, project) for f in files]
    if jobs <= 1 or len(files) < _POOL_MIN_FILES:
        return [_lint_one(job) for job in jobs_list]
    import multiprocessing

    from tflint import engine

    # Load the engine, rules and op knowledge once, before forking, so workers share them.
    engine.all_rules()
    knowledge.load(settings.tf_version)
    # Largest files first, handed out one at a time: no worker is left with a long tail.
    jobs_list.sort(key=lambda job: _size(job[0]), reverse=True)
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        return list(pool.imap_unordered(_lint_one, jobs_list, chunksize=1))


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _print_statistics(diagnostics: list[Diagnostic], file) -> None:
    counts = Counter((d.code, d.name) for d in diagnostics)
    for (code, name), n in sorted(counts.items()):
        print(f"{n:<6} {code} {name}", file=file)
    print(f"{sum(counts.values()):<6} total", file=file)
    refuted = sum(d.confirmed is False for d in diagnostics)
    if refuted:
        print(f"{refuted:<6} refuted by --trace (among the above; a refuted error counts as info)", file=file)


def _wrote_fix(result: FileResult) -> bool:
    """Write the file's fix unless it changed since it was read or cannot be written (then say why)."""
    try:
        rewrite.write_fix(result.path, result.fixed_from, result.fixed_source)
    except rewrite.NotWritten as why:
        print(f"tflint: {result.path}: not fixed: {why}", file=sys.stderr)
        return False
    return True
