"""The `tflint` command: arguments, running the engine over files, output and exit codes."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections import Counter
from pathlib import Path

from tflint import __version__, config, knowledge
from tflint.frontends.cache import Cache, digest, version
from tflint.config import ConfigError, Settings
from tflint.nearest_config import Configs
from tflint.report import fixes
from tflint.report.diagnostics import Diagnostic, FileResult
from tflint.report.text import Style, color_wanted
from tflint.source import rewrite
from tflint.source.files import files_to_lint, read_source, read_source_and_stat
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
    p.add_argument("paths", nargs="*", help="files or folders (default: .); - reads the source from stdin")
    p.add_argument("--target", choices=knowledge.TARGETS, help="what the model must run on (default: builtins); gpu gives builtins' verdicts: "
                        "no GPU-delegate check has evidence behind it yet")
    p.add_argument("--output-format", "--format", dest="format", choices=(*FORMATS, "markdown", "html"), default="text",
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
    p.add_argument("--report", metavar="PATH",
                   help="--trace: also write what was traced (routes, ops, size, parity) as an HTML page to PATH")
    _conventions(p)
    p.add_argument("--version", action="version", version=f"tflint {__version__}")
    return p


def _conventions(p: argparse.ArgumentParser) -> None:
    """The options ruff and flake8 users reach for without thinking."""
    p.add_argument("--extend-select", metavar="CODES", help="codes or prefixes to report besides the selected ones")
    p.add_argument("--extend-ignore", metavar="CODES", help="codes or prefixes to leave out besides the ignored ones")
    p.add_argument("--exclude", metavar="PATTERNS",
                   help="comma-separated path patterns not to lint (instead of the config's)")
    p.add_argument("--extend-exclude", metavar="PATTERNS", help="path patterns not to lint besides the excluded ones")
    p.add_argument("--respect-gitignore", action=argparse.BooleanOptionalAction, default=None,
                   help="skip the files git ignores when searching folders (default: config "
                        "`respect-gitignore`, else on)")
    p.add_argument("--diff", action="store_true", help="print the fixes as a unified diff and write nothing "
                                                       "(exit 1 if there is one)")
    p.add_argument("--show-fixes", action="store_true", help="list the fixes applied (--fix) or available")
    p.add_argument("--exit-non-zero-on-fix", action="store_true",
                   help="with --fix: exit 1 if a file was fixed, even with no finding left")
    p.add_argument("--show-source", action="store_true", help="the source line and a caret under each finding (text)")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the text format (default auto: on a terminal unless NO_COLOR is set; "
                        "FORCE_COLOR forces it)")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="print the findings only: no `fixed N file(s)` line, no --trace progress")
    p.add_argument("--stdin-filename", metavar="PATH", help="the name of the source read from stdin (-): for the "
                                                            "configuration and the output")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        _check_stdin(args)
        _check_report(args)
        configs = _configs(args)
        settings = configs.for_run()
        if args.explain:
            return _explain(args.explain, settings)
        if args.list_rules:
            return _list_rules(settings)
        if args.list_ops is not None:
            return _list_ops(args.list_ops, settings, args.format)
        if args.format not in FORMATS:
            raise ConfigError(f"--format {args.format}: only with --list-ops")
        return _lint(args, configs, settings)
    except (ConfigError, ValueError, FileNotFoundError) as e:
        print(f"tflint: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `tflint --list-ops | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the exit's flush must not fail
        return 141


def _configs(args: argparse.Namespace) -> Configs:
    """Each file's settings: the nearest configuration's (or --config's), with the command line's values."""
    return Configs(args.config, lambda found: _with_command_line(args, found))


def _settings(args: argparse.Namespace) -> Settings:
    """The run's settings (the working folder's configuration with the command line's values)."""
    return _configs(args).for_run()


def _with_command_line(args: argparse.Namespace, settings: Settings) -> Settings:
    """A configuration file's settings (or the defaults) with the command line's values."""
    fail_on = config.Severity.parse(args.fail_on) if args.fail_on else None
    settings = config.with_overrides(settings, target=args.target, select=args.select, ignore=args.ignore,
                                     tf_version=args.tf_version, fail_on=fail_on, exclude=args.exclude,
                                     quantization_tolerance=args.quantization_tolerance,
                                     max_model_size=args.max_model_size, max_arena=args.max_arena,
                                     respect_gitignore=args.respect_gitignore)
    return config.with_extensions(settings, select=args.extend_select, ignore=args.extend_ignore,
                                  exclude=args.extend_exclude)


def _check_stdin(args: argparse.Namespace) -> None:
    """`tflint -` (or --stdin-filename alone) reads one source from stdin; nothing else goes with it."""
    if args.stdin_filename is not None and not args.paths:
        args.paths = ["-"]
    args.paths = args.paths or ["."]
    if "-" not in args.paths:
        if args.stdin_filename is not None:
            raise ConfigError("--stdin-filename: only with - (the source read from stdin)")
        return
    if len(args.paths) > 1:
        raise ConfigError("- (stdin) cannot be combined with other paths")
    if args.trace:
        raise ConfigError("--trace cannot read the source from stdin: give the file's path")


def _check_report(args: argparse.Namespace) -> None:
    """`--report PATH` goes with `--trace`, and PATH must be writable: said before anything is traced."""
    if args.report is None:
        return
    if not args.trace or args.diff:
        raise ConfigError("--report: only with --trace (and not with --diff, which traces nothing)")
    from tflint.trace.report_page import unwritable

    why = unwritable(args.report)
    if why:
        raise ConfigError(f"--report {args.report}: {why}")


def _write_report(path: str, traced: list[dict], settings: Settings, quiet: bool) -> bool:
    """The trace report, after the findings: a failure to write it is one line on stderr."""
    from tflint.trace import report_page

    html = report_page.render(traced, knowledge.load(settings.tf_version), settings.quantization_tolerance)
    try:
        report_page.write(path, html)
    except OSError as e:
        print(f"tflint: error: --report {path}: {e.strerror or e}", file=sys.stderr)
        return False
    if not quiet:
        print(f"tflint: wrote the trace report to {path}", file=sys.stderr)
    return True


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


def _lint(args: argparse.Namespace, configs: Configs, settings: Settings) -> int:
    sources: dict[str, bytes] = {}  # what is linted from memory (stdin), not from disk
    files = _read_stdin(args, configs, sources) if args.paths == ["-"] else files_to_lint(args.paths, configs)
    starting = None
    if args.trace and not args.diff:  # --diff only shows the fixes
        from tflint import trace

        options = TraceOptions(args.trace_timeout, entries=tuple(args.entry), input_shapes=tuple(args.input_shape),
                               quiet=args.quiet)
        starting = trace.Starting(options)  # its TensorFlow import overlaps the static half
    project = len(files) > 1
    stores = None if args.no_cache or sources else _Stores(project)
    results, digests = _run(files, args.fix or args.diff, args.jobs or os.cpu_count() or 1, stores, project, sources)
    if args.diff:
        if stores:
            stores.save()
        return _print_diffs(results, sources, args)
    applied: list[Diagnostic] = []  # the findings whose fixes were written
    fixed = 0
    for i, result in enumerate(results):
        if result.fixed_source is not None and _wrote_fix(result, sources):
            fixed += 1
            applied += [d for d in result.diagnostics if d.fix is not None]
            results[i], content_version = _lint_one((result.path, files[result.path], False, project,
                                                     sources.get(result.path)))
            digests[result.path] = content_version and content_version[0]
    if project:
        _settle(results, files, settings, stores, digests, sources)
    if stores:
        stores.save()  # once, after the project answer: the cache file is rewritten whole
    diagnostics = [d for result in results for d in result.diagnostics]
    traced = None  # what --trace traced, for the output
    if starting:
        diagnostics, traced = trace.run(list(files), diagnostics, settings, options, starting)
    diagnostics.sort(key=Diagnostic.sort_key)
    out = _findings_stream(args, sources)
    style = Style(color_wanted(args.color, out.isatty()), _source_lines(sources) if args.show_source else None)
    out.write(render(args.format, diagnostics, target=settings.target, files=len(files), traced=traced, style=style))
    _print_extras(args, out if args.format == "text" else sys.stderr, diagnostics, applied, fixed)
    if args.report is not None and not _write_report(args.report, traced, settings, args.quiet):
        return 2
    failing = any(d.severity >= files.get(d.path, settings).fail_on for d in diagnostics)
    failing = failing or args.exit_non_zero_on_fix and fixed > 0
    return 1 if failing and not args.exit_zero else 0


def _findings_stream(args: argparse.Namespace, sources: dict[str, bytes]):
    """Where the findings go: stdout, unless it carries the fixed source read from stdin (as ruff)."""
    if not (sources and args.fix):
        return sys.stdout
    sys.stdout.buffer.write(next(iter(sources.values())))
    sys.stdout.flush()
    return sys.stderr


def _print_extras(args: argparse.Namespace, out, diagnostics: list[Diagnostic], applied: list[Diagnostic],
                  fixed: int) -> None:
    """What is printed after the findings when asked: statistics, fixes, how many files were fixed."""
    if args.statistics:
        _print_statistics(diagnostics, file=out)
    if args.show_fixes:
        out.write(fixes.listing(applied, applied=True) + fixes.listing(diagnostics, applied=False))
    if fixed and not args.quiet:
        print(f"tflint: fixed {fixed} file(s)", file=sys.stderr)


def _read_stdin(args: argparse.Namespace, configs: Configs, sources: dict[str, bytes]) -> dict[str, Settings]:
    """The source on stdin, to lint as the file --stdin-filename names (its configuration, its excludes)."""
    name = args.stdin_filename or "-"
    settings = configs.for_path(name)
    sources[name] = sys.stdin.buffer.read()
    return {} if settings.excluded(Path(name)) else {name: settings}


def _wrote_fix(result: FileResult, sources: dict[str, bytes]) -> bool:
    """Write the file's fix unless it changed since it was read or cannot be written (then say why); a
    source read from stdin is fixed in memory (and printed)."""
    if result.path in sources:
        sources[result.path] = result.fixed_source
        return True
    try:
        rewrite.write_fix(result.path, result.fixed_from, result.fixed_source)
    except rewrite.NotWritten as why:
        print(f"tflint: {result.path}: not fixed: {why}", file=sys.stderr)
        return False
    return True


def _print_diffs(results: list[FileResult], sources: dict[str, bytes], args: argparse.Namespace) -> int:
    """--diff: the fixes as a unified diff on stdout, nothing written; exit 1 if there is one."""
    changed = [r for r in results if r.fixed_source is not None]
    for r in changed:
        original = sources[r.path] if r.path in sources else read_source(r.path)
        sys.stdout.write(fixes.unified_diff(r.path, original, r.fixed_source))
    if changed and not args.quiet:
        print(f"tflint: would fix {len(changed)} file(s)", file=sys.stderr)
    return 1 if changed and not args.exit_zero else 0


def _source_lines(sources: dict[str, bytes]):
    """--show-source: a file's lines by path (None if it cannot be read now), each file read once."""
    import functools

    from tflint.source.parsing import FileProblem, decode

    @functools.cache
    def lines(path: str) -> list[str] | None:
        try:
            text = decode(sources[path] if path in sources else read_source(path)).text
        except (OSError, FileProblem):
            return None
        return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")  # Python's line ends only

    return lines


def result_cache(settings: Settings, project: bool) -> Cache:
    """The result cache of these settings (in its configuration's `cache-dir`, else its folder); a project
    run's results (summaries, findings left to the project index) differ from a single file's, so each has
    its own, and so do the settings of two configurations (their patterns are anchored at their folders)."""
    folder = settings.cache_dir or settings.root
    if settings.cache_dir is not None:
        with contextlib.suppress(OSError):  # one that cannot be made is only a slower next run
            folder.mkdir(parents=True, exist_ok=True)
    return Cache(folder, f"{settings.cache_key()}|root={settings.root}|project={project}", keeps_summaries=project)


class _Stores:
    """The result caches of a run: one per settings in use (nearest_config.Configs gives each file one
    of a few settings objects)."""

    def __init__(self, project: bool) -> None:
        self.project = project
        self._by_settings: dict[int, tuple[Settings, Cache]] = {}

    def of(self, settings: Settings) -> Cache:
        if id(settings) not in self._by_settings:
            self._by_settings[id(settings)] = settings, result_cache(settings, self.project)
        return self._by_settings[id(settings)][1]

    def settings_key(self) -> str:
        """What tells apart the settings the run's files were linted with."""
        return repr(sorted(f"{s.cache_key()}|root={s.root}" for s, _ in self._by_settings.values()))

    def save(self) -> None:
        for _, store in self._by_settings.values():
            store.save()


def _settle(results: list[FileResult], files: dict[str, Settings], settings: Settings, stores: _Stores | None,
            digests: dict[str, str | None], sources: dict[str, bytes]) -> None:
    """Judge the findings no model of their own file reaches by the whole run's project index; a run
    over the same contents, with the same settings, as a cached one takes its answer from the cache."""
    store = stores and stores.of(settings)
    run = digest(repr((os.getcwd(), settings.unreached, stores and stores.settings_key(),
                       sorted(digests.items()))).encode())
    by_path = {result.path: result for result in results}
    cached = store.settled(run) if store else None
    if cached is not None and cached.keys() <= by_path.keys():
        for path, diagnostics in cached.items():
            by_path[path].diagnostics = diagnostics
        return
    from tflint.project.index import Index
    from tflint.project.settle import settle

    before = {result.path: result.diagnostics for result in results}
    summaries = {path: summary for path in files if (summary := _summary(by_path[path], files, stores, digests,
                                                                           sources)) is not None}
    settle(results, Index.build(summaries), settings.unreached)
    if store:
        store.put_settled(run, {r.path: r.diagnostics for r in results if _changed(before[r.path], r.diagnostics)})


def _summary(result: FileResult, files: dict[str, Settings], stores: _Stores | None, digests: dict[str, str | None],
             sources: dict[str, bytes]) -> dict | None:
    """The file's project summary: the result's own, else the cache's for its content, else linted again
    (and kept)."""
    path = result.path
    if result.summary is not None or digests.get(path) is None or stores is None:
        return result.summary
    store = stores.of(files[path])
    try:
        return store.summary(digests[path])
    except KeyError:
        again, content_version = _lint_one((path, files[path], False, True, sources.get(path)))
        if content_version is not None:
            store.put(path, content_version, again)
        return again.summary


def _changed(before: list[Diagnostic], after: list[Diagnostic]) -> bool:
    return len(before) != len(after) or any(a is not b for a, b in zip(before, after))


def _lint_one(job: tuple[str, Settings, bool, bool, bytes | None]) -> tuple[FileResult, tuple | None]:
    """The file's result, and the version (cache.version) of the content it was linted from (None if unreadable,
    or given: the job's bytes, read from stdin, stand for the file)."""
    # Imported here: a run the result cache answers entirely never loads libcst or the rules.
    from tflint import engine

    path, settings, fix, project, given = job
    if given is not None:
        return engine.lint_bytes(path, given, settings, fix, project=project), None
    try:
        data, status = read_source_and_stat(path)
    except OSError:  # the engine says why, as a TFL002 finding
        return engine.lint_file(path, settings, fix), None
    result = engine.lint_bytes(path, data, settings, fix, project=project)
    if result.fixed_source is not None:
        result.fixed_from = rewrite.snapshot(data, status)
    return result, version(data, status)


def _run(files: dict[str, Settings], fix: bool, jobs: int, stores: _Stores | None, project: bool,
         sources: dict[str, bytes]) -> tuple[list[FileResult], dict[str, str | None]]:
    """Results in the order of `files`: from the cache where it holds them, the rest linted anew (put
    in the stores, which the caller saves); and each file's content digest (None: unreadable)."""
    results: dict[str, FileResult] = {}
    digests: dict[str, str | None] = {}
    todo = []
    for path, settings in files.items():
        cached = stores.of(settings).lookup(path, fix) if stores else None
        if cached is None:
            todo.append(path)
        else:
            results[path], digests[path] = cached, stores.of(settings).digest_of(path)
    if todo:  # a warm run lints nothing, and imports nothing to
        from tflint.project.summary import with_shared_strings
    for result, content_version in _lint_all(todo, files, fix, jobs, project, sources):
        result.summary = result.summary and with_shared_strings(result.summary)
        results[result.path] = result
        digests[result.path] = content_version and content_version[0]
        if stores and content_version is not None:
            stores.of(files[result.path]).put(result.path, content_version, result)
    return [results[path] for path in files], digests


def _lint_all(files: list[str], settings_of: dict[str, Settings], fix: bool, jobs: int, project: bool,
              sources: dict[str, bytes]):
    jobs_list = [(f, settings_of[f], fix, project, sources.get(f)) for f in files]
    if jobs <= 1 or len(files) < _POOL_MIN_FILES:
        return [_lint_one(job) for job in jobs_list]
    import gc
    import multiprocessing

    from tflint import engine

    for settings in {(s.tf_version, s.target): s for s in settings_of.values()}.values():
        engine.prepare(settings)
    # Largest files first, handed out one at a time: no worker is left with a long tail.
    jobs_list.sort(key=lambda job: _size(job[0]), reverse=True)
    # What the workers share is never garbage: out of the cyclic collector, whose passes would
    # traverse it and copy its pages into each worker (Python's gc docs advise this before fork).
    gc.freeze()
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

