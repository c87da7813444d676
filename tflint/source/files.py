"""Which files a run lints (explicit paths as given, folders searched for *.py), and reading one."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tflint.config import Settings

# Never searched inside: tool caches, environments and build output.
_SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "__pycache__", "node_modules", ".eggs",
              "build", "dist", "site-packages", ".mypy_cache", ".pytest_cache", ".tflint_cache"}


def files_to_lint(paths: list[str], settings: Settings) -> list[str]:
    """Files in a stable order; a path that does not exist is kept so the engine reports it."""
    out: list[str] = []
    seen: set[str] = set()
    for given in paths:
        path = Path(given)
        found = _walk(path, settings) if path.is_dir() else [given] if not settings.excluded(path) else []
        for f in found:
            if f not in seen:
                seen.add(f)
                out.append(f)
    return out


def _walk(root: Path, settings: Settings) -> list[str]:
    found = []
    # os.walk does not follow symlinked folders, so symlink loops cannot trap it.
    excluded = settings.excluded if settings.exclude else lambda path: False  # Path() is slow: only when needed
    for folder, dirs, files in os.walk(root, onerror=None):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not excluded(Path(folder, d)))
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.normpath(os.path.join(folder, name))
                if not excluded(Path(path)):
                    found.append(path)
    return found


def read_source(path: str) -> bytes:
    """The file's bytes; OSError for anything but a regular file (reading a FIFO would block forever)."""
    return read_source_and_stat(path)[0]


def read_source_and_stat(path: str) -> tuple[bytes, os.stat_result]:
    """The file's bytes, and its status as it was just before they were read."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        status = os.fstat(fd)
        mode = status.st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(21, "is a directory, not a file", path)
        if not stat.S_ISREG(mode):
            raise OSError(0, "not a regular file (a FIFO, socket or device)", path)
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read(), status
    finally:
        os.close(fd)
