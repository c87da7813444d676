"""Does an API applied to weights fold away on each conversion route? `python tools/probe_routes.py`

The op knowledge (rules/data/ops-tf<major.minor>.toml) says for every API that fails under builtins
whether it `folds` when applied to weights, measured on one route: tf.Variables of a tf.Module,
read in a tf.function converted with the module as trackable object (tools/probes/probe.py). The
converter treats weights differently by route, so this applies the same call, to the same values,
on three more routes and converts each with builtins only:

- keras: a Keras 3 layer holding the values as weights (`add_weight`), whose `call` applies the API to
  them, in a functional model converted with `TFLiteConverter.from_keras_model`;
- concrete: a concrete function of that model's call, `from_concrete_functions([cf], model)`;
- constant: the values as `tf.constant`s in a tf.function, `from_concrete_functions([cf])`.

The module route is measured again beside them, with the generator's own code, so one run compares
all four. Writes rules/data/routes-tf<major.minor>.toml (format: tflint/knowledge/routes.py); per-API
results are kept in build/route-results.jsonl to resume an interrupted run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import tomllib
from collections import Counter
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROUTES = ("module", "keras", "concrete", "constant")
CONCRETE = "concrete"


def folding_apis(knowledge: Path) -> list[str]:
    """The APIs whose folding the op knowledge measured (both verdicts)."""
    with knowledge.open("rb") as f:
        apis = tomllib.load(f)["apis"]
    return sorted(name for name, raw in apis.items() if "folds" in raw)


def measure(name: str) -> dict:
    """{route: True (folds) | False (fails) | None (not judged)}, and per failing route the ops the
    converter named ("keras_failing": [...]), for one API."""
    import tensorflow as tf

    from probes import catalog, probe

    api = catalog.Api(name, "", "function")
    with probe._quiet():
        traced = probe._trace(api, {})
        if isinstance(traced, str):
            return {"error": traced}
        plan = traced.plan
        values = plan.samples(1)[0]
        call = probe._caller(catalog.resolve(name), plan)
        outcomes = {"constant": _constant_route(call, values)}
        model = _keras_model(call, values)
        if model is not None:
            spec = tf.TensorSpec([None, 1], tf.float32)
            concrete = tf.function(lambda x: model(x)).get_concrete_function(spec)
            outcomes["keras"] = _converted(tf.lite.TFLiteConverter.from_keras_model(model))
            outcomes["concrete"] = _converted(tf.lite.TFLiteConverter.from_concrete_functions([concrete], model))
        found = {"module": probe._folds(api, plan)}
        for route, outcome in outcomes.items():
            found[route] = None if outcome is None or outcome.status == "unknown" else outcome.status == "converts"
            if found[route] is False:
                found[f"{route}_failing"] = outcome.failing
        failing = found.get("keras_failing") or found.get("constant_failing")
        if failing:
            found["why"] = "size" if _refused_for_size(traced.concrete, set(failing)) else "op"
    return found


def _refused_for_size(concrete, failing: set[str]) -> bool:
    """Whether the converter's folding policy refuses every failing op of the API's graph for its size
    alone: it folds an op whose results take at most 2^16 bits, or at most twice its operands' bits
    (IsFoldedByDefaultPolicy, tensorflow/compiler/mlir/tensorflow/transforms/constant_fold.cc)."""
    ops = [op for op in concrete.graph.get_operations() if op.type in failing]
    return bool(ops) and all(_bits(op.outputs) > 2 ** 16 and _bits(op.outputs) > 2 * _bits(op.inputs) for op in ops)


def _bits(tensors) -> int:
    return sum(t.shape.num_elements() * t.dtype.size * 8 for t in tensors
               if t.shape.is_fully_defined() and (t.dtype.is_floating or t.dtype.is_integer or t.dtype.is_bool))


def _keras_model(call, values):
    """A functional model around a layer whose weights hold `values` and whose call applies the API
    to them; None when Keras cannot hold or trace them (string weights, ...)."""
    import keras
    import tensorflow as tf

    class Weights(keras.layers.Layer):
        def build(self, input_shape):
            self.held = [self.add_weight(shape=v.shape, dtype=v.dtype.name, initializer="zeros", trainable=False)
                         for v in values]
            for weight, value in zip(self.held, values):
                weight.assign(value)

        def call(self, x):
            return [x, *call(*(tf.convert_to_tensor(w) for w in self.held))]

    try:
        inputs = keras.Input((1,))
        return keras.Model(inputs, Weights()(inputs))
    except Exception:  # noqa: BLE001 - nothing to convert: not judged
        return None


def _constant_route(call, values):
    import tensorflow as tf

    try:
        concrete = tf.function(lambda x: [x, *call(*map(tf.constant, values))], autograph=False) \
            .get_concrete_function(tf.TensorSpec([None, 1], tf.float32))
    except Exception:  # noqa: BLE001 - the call does not trace on constants: not judged
        return None
    return _converted(tf.lite.TFLiteConverter.from_concrete_functions([concrete]))


def _converted(converter):
    """The converter's outcome with builtins only (tools/probes/convert.py's Outcome)."""
    from probes import convert
    from tensorflow.lite.python.convert_phase import ConverterError

    converter.target_spec.supported_ops = convert.OPS_SETS["builtins"]
    try:
        converter.convert()
    except ConverterError as e:
        return convert._failure(e)
    except Exception as e:  # noqa: BLE001 - the harness, not the converter's verdict
        return convert.Outcome("unknown", str(e))
    return convert.Outcome("converts")


def write(path: Path, meta: dict, results: dict[str, dict]) -> None:
    counts = {route: Counter(r.get(route) for r in results.values()) for route in ROUTES}
    differ = [name for name, r in results.items() if len({r.get(route) for route in ROUTES} - {None}) > 1]
    folding = [name for name, r in results.items() if len({r.get(route) for route in ROUTES if route != CONCRETE} - {None}) > 1]
    lines = [
        "# Does an API failing under TFLite builtins fold away when applied to weights? Per conversion route.",
        f"# Generated by python tools/probe_routes.py (TensorFlow {meta['tensorflow']}, Keras {meta['keras']}, "
        f"{meta['generated']}).",
        "# The same call (tools/probes' base call of each API) on the same values, converted with builtins only:",
        "#   module:   tf.Variables of a tf.Module, read in a tf.function, from_concrete_functions([cf], module)",
        "#   keras:    weights of a Keras 3 layer (add_weight) applied in its call, functional model, from_keras_model",
        "#   concrete: a concrete function of that model's call, from_concrete_functions([cf], model)",
        "#   constant: the values as tf.constant in a tf.function, from_concrete_functions([cf])",
        "# true: converts (the converter computed the API away); false: the API stays and conversion fails;",
        "# a missing route: could not be judged (Keras cannot hold the values, or the harness failed).",
        "# why (where it stays on the keras or constant route): \"size\" when the converter's folding policy",
        "# refuses each failing op for its size alone (results over 2^16 bits and over twice the operands'",
        "# bits: it folds smaller weights), \"op\" otherwise (random and other stateful ops, or a kernel that",
        "# failed on the probe's values).",
        *(f"# {route}: {counts[route][True]} fold, {counts[route][False]} stay" for route in ROUTES),
        f"# APIs whose verdict differs between routes: {len(differ)} of {len(results)}; "
        f"between module, keras and constant: {len(folding)} ({', '.join(folding) or 'none'})",
        f"# staying for their size at the probe's shapes: {sum(r.get('why') == 'size' for r in results.values())}",
        "",
        "[meta]",
        *(f'{key} = "{value}"' for key, value in meta.items()),
        "",
        "[folds]",
    ]
    for name in sorted(results):
        cells = ", ".join([*(f"{route} = {str(results[name][route]).lower()}" for route in ROUTES
                             if results[name].get(route) is not None),
                           *([f'why = "{results[name]["why"]}"'] if "why" in results[name] else [])])
        lines.append(f'"{name}" = {{{cells}}}')
    path.write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--results", type=Path, default=Path("build/route-results.jsonl"),
                   help="per-API results, kept to resume an interrupted run (default: %(default)s)")
    p.add_argument("--fresh", action="store_true", help="discard earlier results")
    p.add_argument("--only", nargs="*", default=[], metavar="PREFIX", help="measure only APIs starting with these")
    args = p.parse_args(argv)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)  # the MLIR converter prints every error with its call stack to fd 2
    import keras
    import tensorflow as tf

    version = ".".join(tf.__version__.split(".")[:2])
    data = HERE.parent / "rules" / "data"
    args.results.parent.mkdir(parents=True, exist_ok=True)
    if args.fresh:
        args.results.unlink(missing_ok=True)
    done = {}
    if args.results.exists():
        done = {item["api"]: item for item in map(json.loads, args.results.read_text().splitlines())}
    start = time.monotonic()
    with args.results.open("a") as out:
        for name in folding_apis(data / f"ops-tf{version}.toml"):
            if name in done or (args.only and not name.startswith(tuple(args.only))):
                continue
            done[name] = {"api": name, **measure(name)}
            out.write(json.dumps(done[name]) + "\n")
            out.flush()
            print(name, {k: v for k, v in done[name].items() if k != "api"}, flush=True)
    results = {name: r for name, r in done.items() if "error" not in r}
    meta = {"tensorflow": tf.__version__, "keras": keras.__version__, "generated": date.today().isoformat()}
    out_path = data / f"routes-tf{version}.toml"
    write(out_path, meta, results)
    print(f"wrote {out_path} ({len(results)} APIs) in {time.monotonic() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
