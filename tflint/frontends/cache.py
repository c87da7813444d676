"""The result cache: a file whose content, settings and tflint are unchanged is not linted again.

One file per combination of settings, tflint build and Python version under `.tflint_cache/`
(at the configuration's root, else the working folder) maps each file's absolute path to the
hash of its content, its status (size, times, inode) when that content was read, and its
diagnostics. A file whose status is unchanged is not even read (as git's index does); status
is recorded only for files unchanged for a second before they were read, since a change
within the file system's clock tick can leave the status as it was. The tflint build is
fingerprinted by its version and by the size and modification time of every source and op
knowledge file of the package, so editing a rule (or regenerating the knowledge) invalidates
everything. This module must stay cheap to import: a warm run never imports libcst or the rules.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import time
from pathlib import Path

from tflint import __version__
from tflint.report.diagnostics import Diagnostic, FileResult, Fix, Related, Severity, Span
from tflint.source.files import read_source_and_stat
from tflint.report.formats import diagnostic_json

DIR_NAME = ".tflint_cache"
_PACKAGE_DIRS = (Path(__file__).parent,)


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def version(data: bytes, status: os.stat_result) -> tuple[str, tuple | None]:
    """What identifies the content `data` read from a file whose status was `status` just before."""
    settled = time.time_ns() - status.st_ctime_ns >= 1_000_000_000
    return digest(data), _signature(status) if settled else None


def _signature(status: os.stat_result) -> tuple:
    return status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_dev


def _build_fingerprint() -> str:
    """Changes whenever any file of the installed tflint (code, rules, op knowledge) changes."""
    from importlib.util import find_spec

    rules = find_spec("tflint.rules")
    folders = [*_PACKAGE_DIRS, *(Path(p) for p in (rules.submodule_search_locations or ()))]
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
        key = f"{_build_fingerprint()}|{sys.version_info[:2]}|{settings_key}"
        self.file = self.folder / f"{digest(key.encode())}.marshal"  # marshal: 5x faster to load than JSON
        try:
            entries = marshal.loads(self.file.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            entries = None
        self.entries: dict[str, list] = entries if isinstance(entries, dict) else {}
        self.changed = False

    def lookup(self, path: str, fix: bool) -> FileResult | None:
        """The cached result for the file's current content; under --fix, only results with nothing to fix."""
        entry = self.entries.get(os.path.abspath(path))
        if entry is None:
            return None
        content_digest, signature, raw_diagnostics, summary = entry
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
        return FileResult(path, [_diagnostic(raw, path) for raw in raw_diagnostics], summary=summary)

    def put(self, path: str, content_version: tuple[str, tuple | None], result: FileResult) -> None:
        self.entries[os.path.abspath(path)] = [*content_version, [_encoded(d, path) for d in result.diagnostics],
                                               result.summary]
        self.changed = True

    def save(self) -> None:
        """Write atomically; a cache that cannot be written is only a slower next run."""
        if not self.changed:
            return
        try:
            self.folder.mkdir(exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# written by tflint\n*\n")
            import tempfile  # only when writing: a warm run does not

            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                f.write(marshal.dumps(self.entries))
            os.replace(tmp, self.file)
            self._prune()
        except OSError:
            pass

    def _prune(self) -> None:
        """Remove the caches (one file per settings and tflint build) not written for a month: old builds'
        and settings'; one only read since is rebuilt by its next run."""
        month_ago = time.time() - 30 * 86400
        for other in self.folder.iterdir():
            if other.suffix in (".marshal", ".json") and other.stat().st_mtime < month_ago:
                other.unlink(missing_ok=True)


def _encoded(d: Diagnostic, path: str) -> dict:
    """The JSON form, with this file's own path left out so the entry holds under any working folder."""
    out = diagnostic_json(d)
    del out["path"]
    out["ops"] = list(d.ops)  # not in the JSON format (it has `op`), but --trace matches on all of them
    out["scope"], out["reach"], out["layer_site"] = d.scope, d.reach, d.layer_site  # for the project index
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
        tuple(raw["ops"]), raw["scope"], raw["reach"], raw["layer_site"],
    )
