"""The `tflint` command: arguments, running the engine over files, output and exit codes."""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

from tflint import __version__, config, knowledge
from tflint.frontends.cache import Cache, version
from tflint.config import ConfigError, Settings
from tflint.report.diagnostics import Diagnostic, FileResult
from tflint.source.files import files_to_lint, read_source_and_stat
from tflint.report.formats import FORMATS, render
from tflint.trace.options import DEFAULT_TIMEOUT, TraceOptions, input_shape_arg

# Below this many files a process pool costs more than it saves.
_POOL_MIN_FILES = 16


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tflint", description="Find where TensorFlow/Keras model code breaks or "
                                                           "degrades when converted to TensorFlow Lite.")
    p.add_argument("paths", nargs="*", default=["."], help="files or folders (default: .)")
    p.add_argument("--target", choices=knowledge.TARGETS, help="what the model must run on (default: builtins); gpu gives builtins' verdicts: "
                        "no GPU-delegate check has evidence behind it yet")
    p.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    p.add_argument("--select", help="comma-separated codes or prefixes to report (default: TFL)")
    p.add_argument("--ignore", help="comma-separated codes or prefixes to leave out")
    p.add_argument("--fix", action="store_true", help="apply safe autofixes in place")
    p.add_argument("--explain", metavar="CODE", help="print a rule's documentation")
    p.add_argument("--list-rules", action="store_true", help="one line per rule: code, name, default severity")
    p.add_argument("--list-ops", nargs="?", const="", metavar="PATTERN",
                   help="what tflint knows about each API (optionally only those matching PATTERN)")
    p.add_argument("--jobs", type=int, metavar="N", help="parallel workers (default: all cores)")
    p.add_argument("--statistics", action="store_true", help="counts per code after the findings")
    p.add_argument("--no-cache", action="store_true", help="ignore and don't write the result cache")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
    p.add_argument("--config", type=Path, metavar="FILE", help="a pyproject.toml or tflint.toml to read")
    p.add_argument("--tf-version", help="which TensorFlow version's op knowledge to use (default: newest)")
    p.add_argument("--fail-on", choices=("error", "warning", "info"),
                   help="lowest severity that makes the exit code 1 (default: warning)")
    p.add_argument("--trace", action="store_true",
                   help="also import the file(s) in a child process and really convert the model(s)")
    p.add_argument("--trace-timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"--trace: time allowed per file (default: {DEFAULT_TIMEOUT:g})")
    p.add_argument("--entry", action="append", default=[], metavar="NAME",
                   help="--trace: the model, tf.Module, tf.function or factory to convert (repeatable)")
    p.add_argument("--input-shape", action="append", default=[], type=input_shape_arg, metavar="SHAPE",
                   help="--trace: a Keras model input's shape, e.g. 1,224,224,3 or ?,128:int32 (one per input)")
    p.add_argument("--version", action="version", version=f"tflint {__version__}")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = _settings(args)
        if args.explain:
            return _explain(args.explain)
        if args.list_rules:
            return _list_rules(settings)
        if args.list_ops is not None:
            return _list_ops(args.list_ops, settings)
        return _lint(args, settings)
    except (ConfigError, ValueError, FileNotFoundError) as e:
        print(f"tflint: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _settings(args: argparse.Namespace) -> Settings:
    settings = config.load(args.config)
    fail_on = config.Severity.parse(args.fail_on) if args.fail_on else None
    return config.with_overrides(settings, target=args.target, select=args.select, ignore=args.ignore,
                                 tf_version=args.tf_version, fail_on=fail_on)


def _explain(code: str) -> int:
    from tflint import engine

    rule = engine.rule_by_code(code)
    if rule is None:
        raise ConfigError(f"--explain: no rule {code!r} (see --list-rules)")
    print(f"{rule.code} {rule.name} ({rule.severity})\n\n{rule.doc()}")
    return 0


def _list_rules(settings: Settings) -> int:
    from tflint import engine

    for rule in engine.all_rules():
        mark = "" if settings.enabled(rule.code) else "  (disabled by configuration)"
        print(f"{rule.code}  {rule.name:<28} {rule.severity}{mark}")
    return 0


def _list_ops(pattern: str, settings: Settings) -> int:
    from tflint.knowledge import listing

    text, code = listing.render(knowledge.load(settings.tf_version), pattern)
    print(text)
    return code


def _lint(args: argparse.Namespace, settings: Settings) -> int:
    files = files_to_lint(args.paths, settings)
    starting = None
    if args.trace:
        from tflint import trace

        options = TraceOptions(args.trace_timeout, entries=tuple(args.entry), input_shapes=tuple(args.input_shape))
        starting = trace.Starting(options)  # its TensorFlow import overlaps the static half
    store = None if args.no_cache else Cache(settings.root, settings.cache_key())
    results = _run(files, settings, args.fix, args.jobs or os.cpu_count() or 1, store)
    diagnostics: list[Diagnostic] = []
    fixed = 0
    for result in results:
        if result.fixed_source is not None:
            _write_atomically(result.path, result.fixed_source)
            fixed += 1
            result = _lint_one((result.path, settings, False))[0]
        diagnostics.extend(result.diagnostics)
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


def _lint_one(job: tuple[str, Settings, bool]) -> tuple[FileResult, tuple | None]:
    """The file's result, and the version (cache.version) of the content it was linted from (None if unreadable)."""
    # Imported here: a run the result cache answers entirely never loads libcst or the rules.
    from tflint import engine

    path, settings, fix = job
    try:
        data, status = read_source_and_stat(path)
    except OSError:  # the engine says why, as a TFL002 finding
        return engine.lint_file(path, settings, fix), None
    return engine.lint_bytes(path, data, settings, fix), version(data, status)


def _run(files: list[str], settings: Settings, fix: bool, jobs: int, store: Cache | None) -> list[FileResult]:
    """Results in the order of `files`: from the cache where it holds them, the rest linted anew."""
    results: dict[str, FileResult] = {}
    todo = []
    for path in files:
        cached = store.lookup(path, fix) if store else None
        if cached is None:
            todo.append(path)
        else:
            results[path] = cached
    for result, content_version in _lint_all(todo, settings, fix, jobs):
        results[result.path] = result
        if store and content_version is not None:
            store.put(result.path, content_version, result.diagnostics)
    if store:
        store.save()
    return [results[path] for path in files]


def _lint_all(files: list[str], settings: Settings, fix: bool, jobs: int):
    jobs_list = [(f, settings, fix) for f in files]
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


def _write_atomically(path: str, data: bytes) -> None:
    """Write beside the file and rename over it, so a crash never leaves half a file."""
    import tempfile

    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tflint")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, target.stat().st_mode & 0o7777)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
