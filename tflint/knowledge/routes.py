"""Whether an API applied to weights folds away, per conversion route.

The data lives in rules/data/routes-tf<version>.toml, written by `python tools/probe_routes.py`,
which applies each API the op knowledge measured for folding (`folds`) to the same values on four
routes and converts each with builtins only:

    [folds]
    "tf.linalg.inv" = {module = true, keras = true, concrete = false, constant = true}
    "tf.linalg.tensor_diag" = {module = false, keras = false, concrete = false, constant = false, why = "size"}

module: tf.Variables of a tf.Module (converted with the module as trackable object); keras: a Keras
layer's weights through from_keras_model; concrete: the same model through from_concrete_functions
with the model as trackable (weights stay variables: nothing folds); constant: tf.constant values.
`why` says why an API stays: "size" when the converter's folding policy refuses it for its size alone
(it folds smaller weights), "op" otherwise. A route missing from an entry was not judged.

Parsed with tomllib (~20 KB, a few ms) only when a rule asks about a call on constants.
This module never imports TensorFlow.
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

MODULE, KERAS, CONCRETE, CONSTANT = "module", "keras", "concrete", "constant"
SIZE = "size"


@functools.cache
def load(knowledge_source: Path) -> dict[str, dict]:
    """API -> {route: folds?, "why": ...} beside the op knowledge file `knowledge_source` (none if no file)."""
    path = knowledge_source.with_name(knowledge_source.name.replace("ops-tf", "routes-tf"))
    try:
        with path.open("rb") as f:
            return tomllib.load(f).get("folds", {})
    except FileNotFoundError:
        return {}


def stays(knowledge_source: Path, api: str, route: str) -> bool:
    """Whether the converter keeps `api` applied to weights on `route` whatever their size: measured to
    stay there for a reason other than the size policy."""
    measured = load(knowledge_source).get(api, {})
    return measured.get(route) is False and measured.get("why") != SIZE
