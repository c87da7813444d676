"""Which files a run lints (explicit paths as given, folders searched for *.py, less what git ignores),
with the settings of each, and reading one."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tflint.config import Settings
from tflint.nearest_config import Configs
from tflint.source import gitignore

# Never searched inside: tool caches, environments and build output.
_SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "__pycache__", "node_modules", ".eggs",
              "build", "dist", "site-packages", ".mypy_cache", ".pytest_cache", ".tflint_cache"}


def files_to_lint(paths: list[str], configs: Configs) -> dict[str, Settings]:
    """Each file with its settings, in a stable order; a path that does not exist is kept so the engine
    reports it. Folders are searched with the settings of each folder met, as they exclude things."""
    out: dict[str, Settings] = {}
    for given in paths:
        if os.path.isdir(given):
            found = _walk(given, configs)
            ignored = gitignore.ignored(given, [f for f, settings in found if settings.respect_gitignore])
            found = [(f, settings) for f, settings in found if f not in ignored]
        else:
            settings = configs.for_path(given)
            found = [] if settings.excluded(Path(given)) else [(given, settings)]
        for f, settings in found:
            out.setdefault(f, settings)
    return out


def _walk(root: str, configs: Configs) -> list[tuple[str, Settings]]:
    found = []
    # os.walk does not follow symlinked folders, so symlink loops cannot trap it.
    for folder, dirs, files in os.walk(root, onerror=None):
        settings = configs.for_folder(os.path.abspath(folder), files)
        # Path() is slow: only when a pattern needs it
        excluded = settings.excluded if settings.exclude else lambda path: False
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not excluded(Path(folder, d)))
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.normpath(os.path.join(folder, name))
                if not excluded(Path(path)):
                    found.append((path, settings))
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
