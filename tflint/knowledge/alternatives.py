"""Verified builtin-only alternatives to the APIs that fail under TFLite builtins.

The data lives in rules/data/alternatives-tf<version>.toml, written by
`python tools/find_alternatives.py`, which converts each candidate rewrite with builtins only
and compares it with the original:

    [alternatives."tf.math.sinh"]                      # or "tf.image.resize(method='bicubic')"
    verdict = "exact"          # exact | approximation | none
    use = "(tf.exp(x) - tf.exp(-x)) / 2"
    inputs = "x = uniform(-4, 4, (2, 16))"             # what it was compared on
    max_error = 3.81e-06                               # largest |rewrite in TFLite - original in TF|
    ops = ["EXP", "MUL", "NEG", "SUB"]                 # the converted rewrite's TFLite ops
    note = "3x3 matrices"                              # where it holds, if not everywhere

This module never imports TensorFlow.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from tflint.knowledge import Knowledge, Verdict

EXACT, APPROXIMATION, NONE = "exact", "approximation", "none"


@dataclass(frozen=True)
class Alternative:
    verdict: str  # exact | approximation | none
    use: str = ""
    inputs: str = ""
    max_error: float = 0.0
    ops: tuple[str, ...] = ()
    note: str = ""

    def summary(self, name: str) -> str:
        """One line for messages: the rewrite (`name`'s) and what the check found."""
        if self.verdict == NONE:
            return "no builtin alternative found"
        *helpers, expression = self.use.splitlines()
        use = f"`{expression}`" + (f" (its helper: `tflint --list-ops {name.partition('(')[0]} --format markdown`)"
                                   if helpers else "")
        where = f", for {self.note}" if self.note else ""
        if self.verdict == EXACT:
            return f"{use}, verified exact{where}: converts with builtins, max error {self.max_error:g}"
        return f"{use}, verified approximation{where}: max error {self.max_error:g} on {self.inputs}"


def key(api: str, condition: str = "") -> str:
    """The entry's name: the API, with the argument value that makes it fail if any."""
    return f"{api}({condition})" if condition else api


@functools.cache
def load(knowledge_source: Path) -> dict[str, Alternative]:
    """The alternatives beside the op knowledge file `knowledge_source` (none if there is no file)."""
    import tomllib  # here: only a rule that gives advice parses the file

    path = knowledge_source.with_name(knowledge_source.name.replace("ops-tf", "alternatives-tf"))
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        return {}
    return {name: Alternative(raw["verdict"], raw.get("use", ""), raw.get("inputs", ""), raw.get("max_error", 0.0),
                              tuple(raw.get("ops", ())), raw.get("note", ""))
            for name, raw in data.get("alternatives", {}).items()}


def verified(known: "Knowledge") -> Iterator[tuple[str, Alternative, "Verdict"]]:
    """(name, alternative, the verdict it answers) for every verified alternative the knowledge knows."""
    for name, alternative in load(known.source).items():
        verdict = _verdict_of(known, name)
        if alternative.verdict != NONE and verdict is not None:
            yield name, alternative, verdict


def _verdict_of(known: "Knowledge", name: str) -> "Verdict | None":
    api, _, condition = name.partition("(")
    entry = known.entry(api)
    if entry is None or not condition:
        return entry.base if entry else None
    condition = condition.removesuffix(")")
    return next((v for values in entry.when.values() for v in values.values() if v.condition == condition), None)
