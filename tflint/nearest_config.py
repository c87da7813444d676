"""The settings each file is linted with: the nearest configuration at or above its folder, as ruff
finds them (a file in sub/ with its own tflint.toml uses that one), or `--config` for every file;
the command line's values win over either."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from tflint import config
from tflint.config import Settings


class Configs:
    """Settings per folder, each configuration file read once."""

    def __init__(self, explicit: Path | None, command_line: Callable[[Settings], Settings]) -> None:
        self._command_line = command_line
        self._explicit = command_line(config.load(explicit)) if explicit is not None else None
        self._folders: dict[str, Settings] = {}
        self._files: dict[Path, Settings] = {}

    def for_run(self) -> Settings:
        """What the run as a whole follows (`fail-on` for --trace's findings, `unreached`): the working folder's."""
        return self.for_folder(os.getcwd())

    def for_path(self, path: str) -> Settings:
        return self.for_folder(os.path.dirname(os.path.abspath(path)))

    def for_folder(self, folder: str, names: list[str] | None = None) -> Settings:
        """Settings for files in `folder` (absolute); `names`: its file names where the caller has them."""
        if self._explicit is not None:
            return self._explicit
        found = self._folders.get(folder)
        if found is None:
            path = config.config_in(Path(folder), names)
            parent = os.path.dirname(folder)
            if path is not None:
                found = self._settings(path)
            elif parent == folder:  # the file system's root: no configuration anywhere
                found = self._settings(None)
            else:
                found = self.for_folder(parent)
            self._folders[folder] = found
        return found

    def _settings(self, path: Path | None) -> Settings:
        key = path or Path()
        if key not in self._files:
            self._files[key] = self._command_line(config.load(path) if path else Settings())
        return self._files[key]
