"""flake8 plugin `TFL`: the same engine, codes, messages and positions as the tflint command.

flake8 hands a plugin one file at a time. Where the last `tflint` run over the project left its
result cache, the plugin judges the file by that run's project index (which model in which file
reaches its code); code no model reaches is left out, since flake8 has no severities. A file the
cache does not know is judged alone.
"""

from __future__ import annotations

import functools
import gc
import os
from dataclasses import replace
from pathlib import Path

from tflint import __version__, config, engine

from tflint.source import parsing
from tflint.config import Settings


@functools.cache
def _settings(target: str | None) -> Settings:
    # flake8 itself selects codes and honours noqa; tflint's config supplies the rest.
    settings = replace(_project_settings(target), select=("TFL",), ignore=(), per_file_ignores=(), noqa=False)
    return settings


def _project_settings(target: str | None) -> Settings:
    """What `tflint` run here would lint with (its result cache is found by them)."""
    settings = config.load(start=Path.cwd())
    return replace(settings, target=target) if target else settings


@functools.cache
def _project_index(target: str | None):
    """The project index of the last `tflint` run over this project, from its result cache; None if none."""
    from tflint.frontends.cli import result_cache
    from tflint.project.index import Index

    summaries = result_cache(_project_settings(target), project=True).summaries()
    return Index.build(summaries) if summaries else None


@functools.cache
def _prepared(target: str | None, pid: int) -> None:
    """Once per process, before its first file (and in flake8's main process before it forks its
    workers: once for all of them): load what every file's lint reads (the op knowledge, the
    prefilter's trigger tables, the project index: 0.4 s on tf-models-official) and keep it out of
    the cyclic collector, which flake8's own checks run thousands of times and which traversed it
    each time (one process over tf-models-official: 4.2 s of collection with the plugin, 1.2 s
    without it, 1.1 s with the freeze). Frozen after a process's first file instead, it was missed
    where that file did not name TensorFlow: then nothing was loaded yet."""
    try:
        settings = _settings(target)
    except config.ConfigError:
        return  # each file reports it
    engine.prepare(settings)
    _project_index(target)
    gc.freeze()


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
        _prepared(cls.target, os.getpid())  # before flake8 forks its workers, if it does

    def run(self):
        try:
            settings = _settings(self.target)
        except config.ConfigError as e:
            yield 1, 0, f"TFL003 tflint configuration error: {e}", type(self)
            return
        _prepared(self.target, os.getpid())
        source = parsing.Source("".join(self.lines), "utf-8")
        index = _project_index(self.target)
        path = os.path.abspath(self.filename)
        project = index is not None and path in index.summaries
        # flake8 runs tree plugins only on files CPython parsed: the engine need not parse again.
        result = engine.lint_text(path if project else self.filename, source, settings, tree=self.tree,
                                  project=project, summarized=False)
        if project:
            from tflint.project.settle import settle

            settle([result], index, unreached="ignore")
        for d in result.diagnostics:
            yield d.span.line, d.span.col - 1, f"{d.code} {d.message}", type(self)
