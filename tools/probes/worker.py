"""The child process that probes APIs and appends one JSON line per API to a results file.

It writes {"start": api} before each probe, so when TensorFlow crashes or hangs the parent
knows which API did it, records it as unprobed, and starts a new worker that skips what is
done. Usage: python -m probes.worker RESULTS.jsonl [NAME_PREFIX ...]
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def _silence_native_stderr() -> None:
    """The MLIR converter prints every error with its full call stack to fd 2."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)


def _done(path: str) -> set[str]:
    if not os.path.exists(path):
        return set()
    with open(path) as f:
        return {json.loads(line).get("api") for line in f if line.strip()} - {None}


def _int8_crashes(path: str) -> dict[str, int]:
    """API -> exit code, for the APIs whose int8 conversion killed an earlier worker."""
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        items = [json.loads(line) for line in f if line.strip()]
    return {item["int8_crashed"]: item["exit"] for item in items if "int8_crashed" in item}


def _guard_calibration(out, api: str, crashes: dict[str, int]) -> None:
    """Mark each int8 conversion of `api` in the results; once one crashed a worker, say so instead."""
    from . import convert

    def mark(key):
        out.write(json.dumps({key: api}) + "\n")
        out.flush()
    convert.CALIBRATION.update(
        before=lambda: mark("calibrating"), after=lambda: mark("calibrated"),
        crashed=lambda: convert.Outcome(
            "fails", f"int8 conversion crashed the converter process (exit {crashes[api]}, in calibration or "
                     "quantization)") if api in crashes else None)


def _meta() -> dict:
    import keras
    import numpy as np
    import tensorflow as tf

    from . import catalog
    resize_methods = {"tf.image.ResizeMethod": tf.image.ResizeMethod,
                      "tf.compat.v1.image.ResizeMethod": tf.compat.v1.image.ResizeMethod}  # v1: ints
    constants = {f"{prefix}.{k}": str(getattr(methods, k))
                 for prefix, methods in resize_methods.items() for k in dir(methods) if k.isupper()}
    for name in dir(tf.dtypes):
        dtype = getattr(tf.dtypes, name)
        if isinstance(dtype, tf.dtypes.DType):
            constants[f"tf.{name}"] = constants[f"tf.dtypes.{name}"] = dtype.name
            if hasattr(np, name):
                constants[f"numpy.{name}"] = dtype.name
    return {"meta": {"tensorflow": tf.__version__, "keras": keras.__version__,
                     "raw_ops": sorted(catalog.raw_op_names()), "constants": constants}}


def main(argv: list[str]) -> int:
    results, prefixes = argv[0], tuple(argv[1:])
    _silence_native_stderr()
    from . import catalog, probe, syntax
    done, crashes = _done(results), _int8_crashes(results)
    with open(results, "a") as out:
        if not os.path.getsize(results):
            out.write(json.dumps(_meta()) + "\n")
        for api in catalog.tensorflow_apis() + catalog.compat_v1_apis() + catalog.keras_apis() + syntax.apis():
            if api.name in done or (prefixes and not api.name.startswith(prefixes)):
                continue
            out.write(json.dumps({"start": api.name}) + "\n")
            out.flush()
            _guard_calibration(out, api.name, crashes)
            started = time.monotonic()
            try:
                record = probe.probe(api)
            except Exception as e:  # noqa: BLE001 - one API's failure must not stop the run
                record = {"api": api.name, "namespace": api.namespace, "kind": api.kind, "aliases": api.aliases,
                          "params": api.params, "status": "unprobed", "reason": f"prober error: {type(e).__name__}: {e}"[:300]}
            record["seconds"] = round(time.monotonic() - started, 2)
            out.write(json.dumps(record, default=str) + "\n")
            out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
