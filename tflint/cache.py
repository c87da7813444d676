"""The result cache: a file whose content, settings and tflint are unchanged is not linted again.

One JSON file per combination of settings and tflint build under `.tflint_cache/` (at the
configuration's root, else the working folder) maps each file's absolute path to the hash of
its content and its diagnostics. The tflint build is fingerprinted by its version and by the
size and modification time of every source and op knowledge file of the package, so editing
a rule (or regenerating the knowledge) invalidates everything. This module must stay cheap to
import: a warm run never imports libcst or the rules.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from . import __version__
from .diagnostics import Diagnostic, FileResult, Fix, Related, Severity, Span
from .discovery import read_source
from .formats import diagnostic_json

DIR_NAME = ".tflint_cache"
_PACKAGE_DIRS = (Path(__file__).parent,)


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


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
        self.file = self.folder / f"{digest(f'{_build_fingerprint()}|{settings_key}'.encode())}.json"
        try:
            self.entries: dict[str, list] = json.loads(self.file.read_bytes())
        except (OSError, ValueError):
            self.entries = {}
        self.changed = False

    def lookup(self, path: str, fix: bool) -> FileResult | None:
        """The cached result for the file's current content; under --fix, only results with nothing to fix."""
        entry = self.entries.get(os.path.abspath(path))
        if entry is None:
            return None
        try:
            data = read_source(path)
        except OSError:
            return None
        if entry[0] != digest(data) or fix and any(raw["fix"] for raw in entry[1]):
            return None
        return FileResult(path, [_diagnostic(raw, path) for raw in entry[1]])

    def put(self, path: str, content_digest: str, diagnostics: list[Diagnostic]) -> None:
        self.entries[os.path.abspath(path)] = [content_digest, [_encoded(d, path) for d in diagnostics]]
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
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
            with os.fdopen(fd, "w") as f:
                json.dump(self.entries, f, separators=(",", ":"))
            os.replace(tmp, self.file)
        except OSError:
            pass


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
