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

The file is JSON sealed with this user's key (tflint/cachefile.py): one from another user,
machine, folder or build, or committed to a repository, is never read. Every entry is checked
for shape before use; anything else is a miss, and the file is linted again. This module must
stay cheap to import: a warm run never imports libcst or the rules.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path

from tflint import __version__
from tflint.cachefile import dumps, loads, read_bounded, seal, unseal, user_key, write_atomically
from tflint.report.diagnostics import Diagnostic, FileResult, Fix, Related, Severity, Span
from tflint.source.files import read_source_and_stat
from tflint.report.formats import diagnostic_json

DIR_NAME = ".tflint_cache"
FORMAT = 2  # 1 was marshal; its files are deleted on sight
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
    """Cached diagnostics of one run's settings; `save()` writes back what `put()` added."""

    def __init__(self, root: Path, settings_key: str) -> None:
        self.folder = root / DIR_NAME
        self.label = {"format": FORMAT, "build": _build_fingerprint(), "python": list(sys.version_info[:2]),
                      "project": os.path.abspath(root), "settings": settings_key}
        self.file = self.folder / f"{digest(json.dumps(self.label, sort_keys=True).encode())}.cache"
        self.key = user_key()  # None: nothing is read or written
        self.entries: dict[str, list] = self._load()
        self.changed = False

    def _load(self) -> dict:
        data = read_bounded(self.file) if self.key else None
        return decode(data, self.label, self.key) if data else {}

    def lookup(self, path: str, fix: bool) -> FileResult | None:
        """The cached result for the file's current content; under --fix, only results with nothing to fix."""
        entry = self.entries.get(os.path.abspath(path))
        if not _well_formed(entry):
            return None
        content_digest, signature, raw_diagnostics = entry
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
        if fix and any(raw["fix"] for raw in raw_diagnostics):
            return None
        return FileResult(path, [_diagnostic(raw, path) for raw in raw_diagnostics])

    def put(self, path: str, content_version: tuple[str, list | None], diagnostics: list[Diagnostic]) -> None:
        self.entries[os.path.abspath(path)] = [*content_version, [_encoded(d, path) for d in diagnostics]]
        self.changed = True

    def save(self) -> None:
        """Write atomically; a cache that cannot be written is only a slower next run."""
        if not self.changed or not self.key:
            return
        try:
            body = dumps(self.entries)
            self.folder.mkdir(exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# written by tflint\n*\n")
            write_atomically(self.file, seal(self.label, body, self.key))
            self._prune()
        except (OSError, UnicodeEncodeError):
            pass

    def _prune(self) -> None:
        """Remove the caches (one file per settings and tflint build) not written for a month: old builds'
        and settings'; one only read since is rebuilt by its next run. Format 1's go at once."""
        month_ago = time.time() - 30 * 86400
        for other in self.folder.iterdir():
            if other.suffix == ".marshal" or other.suffix == ".cache" and other.stat().st_mtime < month_ago:
                other.unlink(missing_ok=True)


def decode(data: bytes, label: dict, key: bytes) -> dict:
    """The entries of a cache file sealed with this label and key; {} for anything else. Entries are
    checked one by one when looked up."""
    body = unseal(data, label, key)
    entries = loads(body) if body else None
    return entries if type(entries) is dict else {}


_SPAN = ("line", "col", "end_line", "end_col")
_DIAGNOSTIC_KEYS = {*_SPAN, "code", "name", "severity", "message", "confirmed", "fix", "ops"}
_FIX_KEYS = {*_SPAN, "title", "content"}
_RELATED_KEYS = {*_SPAN, "path", "message"}


def _well_formed(entry) -> bool:
    """[content digest, status signature or None, [diagnostic as _encoded writes it, ...]], exactly."""
    if type(entry) is not list or len(entry) != 3 or type(entry[0]) is not str or type(entry[2]) is not list:
        return False
    signature = entry[1]
    if signature is not None and (type(signature) is not list or len(signature) != 5
                                  or not all(type(v) is int for v in signature)):
        return False
    return all(_diagnostic_ok(raw) for raw in entry[2])


def _diagnostic_ok(raw) -> bool:
    if type(raw) is not dict or not _DIAGNOSTIC_KEYS <= raw.keys() <= _DIAGNOSTIC_KEYS | {"op", "related"}:
        return False
    fix, related, ops = raw["fix"], raw.get("related", []), raw["ops"]
    return (_span_ok(raw) and _strs(raw["code"], raw["name"], raw["message"], raw.get("op", ""))
            and raw["severity"] in ("error", "warning", "info")
            and (raw["confirmed"] is None or type(raw["confirmed"]) is bool)
            and (fix is None or type(fix) is dict and fix.keys() == _FIX_KEYS and _span_ok(fix)
                 and _strs(fix["title"], fix["content"]))
            and type(ops) is list and _strs(*ops)
            and type(related) is list and all(_related_ok(r) for r in related))


def _related_ok(raw) -> bool:
    return (type(raw) is dict and raw.keys() == _RELATED_KEYS and _span_ok(raw) and _strs(raw["message"])
            and (raw["path"] is None or _strs(raw["path"])))


def _span_ok(raw: dict) -> bool:
    return all(type(raw[k]) is int and raw[k] >= 0 for k in _SPAN)


def _strs(*values) -> bool:
    return all(type(v) is str for v in values)


def _encoded(d: Diagnostic, path: str) -> dict:
    """The JSON form, with this file's own path left out so the entry holds under any working folder."""
    out = diagnostic_json(d)
    del out["path"]
    out["ops"] = list(d.ops)  # not in the JSON format (it has `op`), but --trace matches on all of them
    for related in out.get("related", ()):
        if related["path"] == path:
            related["path"] = None
    return out


def _span(raw: dict) -> Span:
    return Span(raw["line"], raw["col"], raw["end_line"], raw["end_col"])


def _diagnostic(raw: dict, path: str) -> Diagnostic:
    fix = raw["fix"]
    return Diagnostic(
        path, _span(raw), raw["code"], raw["name"], Severity.parse(raw["severity"]), raw["message"], raw.get("op"),
        raw["confirmed"], None if fix is None else Fix(fix["title"], _span(fix), fix["content"]),
        tuple(Related(r["path"] or path, _span(r), r["message"]) for r in raw.get("related", ())),
        tuple(raw["ops"]),
    )
