"""The result cache: a file whose content, settings and tflint are unchanged is not linted again.

One file per combination of settings, tflint build, Python version and project folder under
`.tflint_cache/` (at the configuration's root, else the working folder) maps each file's
absolute path to the hash of its content, its status (size, times, inode) when that content
was read, and its diagnostics. A file whose status is unchanged is not even read (as git's
index does); status is recorded only for files unchanged for a second before they were read,
since a change within the file system's clock tick can leave the status as it was. The tflint
build is fingerprinted by its version and by the size and modification time of every source
and op knowledge file of the package, so editing a rule (or regenerating the knowledge)
invalidates everything.

Each file's project summary (what the project index reads of it, tflint/project/summary.py) is
kept beside, in `<name>.summaries`, by content digest: only a run whose project answer is not
cached reads it, so a warm run does not decode it.

The files are JSON sealed with this user's key (tflint/cachefile.py): one from another user,
machine, folder or build, or committed to a repository, is never read. Every entry is checked
for shape before use; anything else is a miss, and the file is linted again. This module must
stay cheap to import: a warm run never imports libcst or the rules.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import time
from pathlib import Path

from tflint import __version__
from tflint.cachefile import dumps, loads, read_bounded, seal, unseal, user_key, write_atomically
from tflint.report.diagnostics import ConstructorFlag, Diagnostic, FileResult, Fix, Related, Severity, Span
from tflint.source.files import read_source_and_stat

DIR_NAME = ".tflint_cache"
FORMAT = 5  # 1: marshal (deleted on sight); 2: summaries in the entries; 3: no fails_if_dynamic;
# 4: no fails_if_flag, no `arguments` in summaries
_RUNS_KEPT = 4  # settled project runs kept: people alternate between a few sets of files (all, a folder)
_PACKAGE_DIR = Path(__file__).parent.parent


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def version(data: bytes, status: os.stat_result) -> tuple[str, tuple | None]:
    """What identifies the content `data` read from a file whose status was `status` just before."""
    settled = time.time_ns() - status.st_ctime_ns >= 1_000_000_000
    return digest(data), _signature(status) if settled else None


def _signature(status: os.stat_result) -> list:
    return [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_dev]


def _build_fingerprint() -> str:
    """Changes whenever any file of the installed tflint (code, rules, op knowledge) changes."""
    from importlib.util import find_spec

    rules = find_spec("tflint.rules")
    rule_dirs = [Path(p) for p in (rules.submodule_search_locations or ())]
    folders = [_PACKAGE_DIR, *(p for p in rule_dirs if _PACKAGE_DIR not in p.parents)]  # installed: inside
    parts = [__version__]
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith((".py", ".toml")):
                    st = os.stat(os.path.join(root, name))
                    parts.append(f"{root}/{name}:{st.st_size}:{st.st_mtime_ns}")
    return digest("\n".join(parts).encode())


class Cache:
    """Cached diagnostics of one run's settings; `save()` writes back what `put()` added.

    Body: `[strings, entries, runs]`: every string once (of 2,700 findings on the benchmark's files, 134
    distinct messages); `{absolute path: [content digest, status signature or null, [diagnostic]]}`
    with each diagnostic a list (see _encoded) whose strings are indices into `strings`; and the
    last few settled project runs, newest first, each `[run digest, {path: [diagnostic]}]` holding
    only the files whose findings the project index changed (cli._settle).
    """

    def __init__(self, root: Path, settings_key: str, keeps_summaries: bool = False) -> None:
        self.folder = root / DIR_NAME
        self.label = {"format": FORMAT, "build": _build_fingerprint(), "python": list(sys.version_info[:2]),
                      "project": os.path.abspath(root), "settings": settings_key}
        self.file = self.folder / f"{digest(json.dumps(self.label, sort_keys=True).encode())}.cache"
        self.key = user_key()  # None: nothing is read or written
        data = read_bounded(self.file) if self.key else None
        self.strings, self.entries, self.runs = decode(data, self.label, self.key) if data else ([], {}, [])
        self._index: dict[str, int] | None = None  # string -> its index, once put() needs it
        self.changed = False
        self.keeps_summaries = keeps_summaries  # a project run's store: put() keeps every file's summary
        self._summaries_file = self.file.with_suffix(".summaries")
        self._summaries: dict | None = None  # content digest -> summary, read when first asked for
        self._summaries_changed = False

    def lookup(self, path: str, fix: bool) -> FileResult | None:
        """The cached result for the file's current content; under --fix, only results with nothing to fix.
        An entry not exactly of the shape put() writes is a miss."""
        try:
            return self._lookup(path, fix)
        except _MALFORMED:
            return None

    def _lookup(self, path: str, fix: bool) -> FileResult | None:
        entry = self.entries.get(os.path.abspath(path))
        if entry is None:
            return None
        content_digest, signature, raws = _entry(entry)
        diagnostics = [_decoded(raw, path, self.strings.__getitem__) for raw in raws]
        try:
            if signature is None or _signature(os.stat(path)) != signature:
                now_digest, now_signature = version(*read_source_and_stat(path))
                if now_digest != content_digest:
                    return None
                if now_signature != signature:  # settled since: next time its status alone answers
                    entry[1] = now_signature
                    self.changed = True
        except OSError:
            return None
        if fix and any(d.fix for d in diagnostics):
            return None
        return FileResult(path, diagnostics)

    def put(self, path: str, content_version: tuple[str, list | None], result: FileResult) -> None:
        if self._index is None:
            self._index = {text: i for i, text in enumerate(self.strings)}
        diagnostics = [_encoded(d, path, self._intern) for d in result.diagnostics]
        self.entries[os.path.abspath(path)] = [*content_version, diagnostics]
        self.changed = True
        if self.keeps_summaries:
            self._kept_summaries()[content_version[0]] = result.summary
            self._summaries_changed = True

    def summary(self, content_digest: str) -> dict | None:
        """The project summary put() kept for this content (None: the file has none); KeyError if
        none is kept, or it is not of summarize()'s shape."""
        from tflint.project.summary import well_formed  # here: a warm run reads no summary

        value = self._kept_summaries()[content_digest]
        if value is not None and not well_formed(value):
            raise KeyError(content_digest)
        return value

    def summaries(self) -> dict[str, dict]:
        """Every cached file's project summary, by path (files with none, or none kept, left out):
        what the flake8 plugin builds its project index from."""
        found = {}
        for path, content_digest in self._digests().items():
            with contextlib.suppress(KeyError):
                if (summary := self.summary(content_digest)) is not None:
                    found[path] = summary
        return found

    def _digests(self) -> dict[str, str]:
        """Path -> content digest, of the entries of the shape put() writes."""
        found = {}
        for path, entry in self.entries.items():
            with contextlib.suppress(*_MALFORMED):
                found[path] = _entry(entry)[0]
        return found

    def _kept_summaries(self) -> dict:
        if self._summaries is None:
            data = read_bounded(self._summaries_file) if self.key else None
            body = data and unseal(data, self._summaries_label(), self.key)
            loaded = loads(body) if body else None
            self._summaries = loaded if type(loaded) is dict else {}
        return self._summaries

    def _summaries_label(self) -> dict:
        return {**self.label, "part": "summaries"}

    def digest_of(self, path: str) -> str:
        """The content digest of a file lookup() just answered for."""
        return self.entries[os.path.abspath(path)][0]

    def settled(self, run: str) -> dict[str, list[Diagnostic]] | None:
        """The findings the project index changed (cli._settle) in the cached run `run` names (a digest
        of the files' contents and what else the answer depends on), by path; None if that run is not
        cached."""
        for kept in self.runs:
            if type(kept) is list and len(kept) == 2 and kept[0] == run:
                try:
                    return {path: [_decoded(raw, path, self.strings.__getitem__) for raw in raws]
                            for path, raws in kept[1].items()}
                except (*_MALFORMED, AttributeError):
                    return None
        return None

    def put_settled(self, run: str, changed: dict[str, list[Diagnostic]]) -> None:
        if self._index is None:
            self._index = {text: i for i, text in enumerate(self.strings)}
        encoded = {path: [_encoded(d, path, self._intern) for d in diagnostics]
                   for path, diagnostics in changed.items()}
        older = [kept for kept in self.runs if type(kept) is not list or not kept or kept[0] != run]
        self.runs = [[run, encoded], *older][:_RUNS_KEPT]
        self.changed = True

    def _intern(self, text: str) -> int:
        index = self._index.setdefault(text, len(self.strings))
        if index == len(self.strings):
            self.strings.append(text)
        return index

    def save(self) -> None:
        """Write atomically; a cache that cannot be written is only a slower next run."""
        if not self.key or not (self.changed or self._summaries_changed):
            return
        try:
            self.folder.mkdir(exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# written by tflint\n*\n")
            if self.changed:
                write_atomically(self.file, seal(self.label, dumps(self._compacted()), self.key))
            if self._summaries_changed:
                live = set(self._digests().values())
                kept = {d: s for d, s in self._kept_summaries().items() if d in live}
                write_atomically(self._summaries_file, seal(self._summaries_label(), dumps(kept), self.key))
            self._prune()
        except (OSError, UnicodeEncodeError):
            pass

    def _compacted(self) -> list:
        """[strings, entries, runs] with only the strings still used; anything of another shape left out."""
        strings: list[str] = []
        index: dict[str, int] = {}

        def intern(text: str) -> int:
            if text not in index:
                index[text] = len(strings)
                strings.append(text)
            return index[text]

        def encoded(raws: list, path: str) -> list:
            return [_encoded(_decoded(raw, path, self.strings.__getitem__), path, intern) for raw in raws]

        entries = {}
        for path, entry in self.entries.items():
            try:
                content_digest, signature, raws = _entry(entry)
                entries[path] = [content_digest, signature, encoded(raws, "")]
            except _MALFORMED:
                continue
        runs = []
        for kept in self.runs:
            try:
                runs.append([kept[0], {path: encoded(raws, path) for path, raws in kept[1].items()}])
            except (*_MALFORMED, AttributeError):
                continue
        return [strings, entries, runs]

    def _prune(self) -> None:
        """Remove the caches (one file per settings and tflint build) not written for a month: old builds'
        and settings'; one only read since is rebuilt by its next run. Format 1's go at once."""
        month_ago = time.time() - 30 * 86400
        for other in self.folder.iterdir():
            old = other.suffix in (".cache", ".summaries") and other.stat().st_mtime < month_ago
            if other.suffix == ".marshal" or old:
                other.unlink(missing_ok=True)


def decode(data: bytes, label: dict, key: bytes) -> tuple[list[str], dict, list]:
    """The string table, entries and settled project runs of a cache file sealed with this label and
    key; empty for anything else. Entries and runs are checked when looked up."""
    body = unseal(data, label, key)
    loaded = loads(body) if body else None
    if (type(loaded) is list and len(loaded) == 3 and type(loaded[0]) is list and type(loaded[1]) is dict
            and type(loaded[2]) is list and all(type(text) is str for text in loaded[0])):
        return loaded[0], loaded[1], loaded[2]
    return [], {}, []


_MALFORMED = (TypeError, ValueError, IndexError, KeyError)


def _entry(entry) -> tuple[str, list | None, list]:
    """An entry's content digest, status signature and diagnostics; one of _MALFORMED for any other shape."""
    content_digest, signature, raws = entry
    if type(content_digest) is not str:
        raise TypeError("a content digest that is not a string")
    return content_digest, signature, raws
_SEVERITY = {str(severity): severity for severity in Severity}
_REACH = (None, "reached", "library", "unreached")  # reach.py's REACHED, LIBRARY, UNREACHED
_DYNAMIC = (None, "any", "two", "length")  # Diagnostic.fails_if_dynamic
_DEFAULTS = (None, "True", "False")  # ConstructorFlag.default


def _encoded(d: Diagnostic, path: str, index) -> list:
    """The list kept for a diagnostic: [line, col, end_line, end_col, code, name, severity, message,
    op or null, confirmed (null or bool), fix (null or [title, line, col, end_line, end_col, content]),
    related ([[path or null, line, col, end_line, end_col, message], ...]), ops (all of them: --trace
    matches on every op, JSON output shows only `op`), scope (null or a def's name), reach (null,
    "reached", "library" or "unreached"), layer_site (bool), fails_if_dynamic (null, "any", "two" or
    "length"), fails_if_flag (null or [class, parameter, position or null, default or null]): what the
    project index judges by (tflint/project/settle.py)], each string as its index
    in the string table (`index` gives it), this file's own path as null so the entry holds under any working folder."""
    fix = d.fix and [index(d.fix.title), *_positions(d.fix.span), index(d.fix.content)]
    related = [[None if r.path == path else index(r.path), *_positions(r.span), index(r.message)] for r in d.related]
    return [*_positions(d.span), index(d.code), index(d.name), index(str(d.severity)), index(d.message),
            None if d.op is None else index(d.op), d.confirmed, fix, related, [index(op) for op in d.ops],
            None if d.scope is None else index(d.scope), d.reach, d.layer_site, d.fails_if_dynamic,
            _flag_encoded(d.fails_if_flag, index)]


def _flag_encoded(flag: ConstructorFlag | None, index) -> list | None:
    if flag is None:
        return None
    return [index(flag.cls), index(flag.parameter), flag.position, flag.default]


def _flag_decoded(raw, text) -> ConstructorFlag | None:
    if raw is None:
        return None
    cls, parameter, position, default = raw
    if position is not None and (type(position) is not int or position < 0) or default not in _DEFAULTS:
        raise ValueError("a fails_if_flag of the wrong shape")
    return ConstructorFlag(text(cls), text(parameter), position, default)


def _positions(span: Span) -> tuple[int, int, int, int]:
    return span.line, span.col, span.end_line, span.end_col


def _decoded(raw: list, path: str, text) -> Diagnostic:
    """What _encoded kept, `text` giving each index's string; raises one of _MALFORMED on any other shape."""
    line, col, end_line, end_col, code, name, severity, message, op, confirmed, fix, related, ops, scope, reach, \
        layer_site, fails_if_dynamic, fails_if_flag = raw
    if confirmed is not None and type(confirmed) is not bool or type(layer_site) is not bool:
        raise TypeError("confirmed is neither null nor a bool, or layer_site is not a bool")
    if fails_if_dynamic not in _DYNAMIC:
        raise ValueError("an unknown fails_if_dynamic")
    if reach not in _REACH:
        raise ValueError("an unknown reach")
    return Diagnostic(
        path, _span(line, col, end_line, end_col), text(code), text(name), _SEVERITY[text(severity)], text(message),
        None if op is None else text(op), confirmed,
        None if fix is None else Fix(text(fix[0]), _span(*fix[1:5]), text(fix[5])),
        tuple(Related(path if r[0] is None else text(r[0]), _span(*r[1:5]), text(r[5])) for r in related),
        tuple(map(text, ops)), None if scope is None else text(scope), reach, layer_site, fails_if_dynamic,
        _flag_decoded(fails_if_flag, text),
    )


def _span(line, col, end_line, end_col) -> Span:
    if type(line) is not int or type(col) is not int or type(end_line) is not int or type(end_col) is not int:
        raise TypeError("a position that is not an int")
    if min(line, col, end_line, end_col) < 0:
        raise ValueError("a negative position")
    return Span(line, col, end_line, end_col)
