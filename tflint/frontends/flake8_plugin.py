"""flake8 plugin `TFL`: the same engine, codes, messages and positions as the tflint command."""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path

from tflint import __version__, config, engine

from tflint.source import parsing
from tflint.config import Settings


@functools.cache
def _settings(target: str | None) -> Settings:
    # flake8 itself selects codes and honours noqa; tflint's config supplies the rest.
    settings = replace(config.load(start=Path.cwd()), select=("TFL",), ignore=(), per_file_ignores=(), noqa=False)
    return replace(settings, target=target) if target else settings


class TFLintPlugin:
    name = "tflint"
    version = __version__
    target: str | None = None

    def __init__(self, tree, lines: list[str], filename: str) -> None:
        self.tree = tree
        self.lines = lines
        self.filename = filename

    @classmethod
    def add_options(cls, manager) -> None:
        manager.add_option("--tflint-target", choices=["builtins", "select", "int8", "gpu"], default=None,
                           parse_from_config=True, help="tflint: what the model must run on")

    @classmethod
    def parse_options(cls, options) -> None:
        cls.target = options.tflint_target

    def run(self):
        try:
            settings = _settings(self.target)
        except config.ConfigError as e:
            yield 1, 0, f"TFL003 tflint configuration error: {e}", type(self)
            return
        source = parsing.Source("".join(self.lines), "utf-8")
        # flake8 runs tree plugins only on files CPython parsed: the engine need not parse again.
        for d in engine.lint_text(self.filename, source, settings, tree=self.tree).diagnostics:
            yield d.span.line, d.span.col - 1, f"{d.code} {d.message}", type(self)
