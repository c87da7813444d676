"""Label every tests/evalset/*.py file with what the TFLite converter really does to it.

Each file exposes `build_model()`, returning a Keras model, a tf.Module or a tf.function
with a full input_signature. The model is converted under `builtins` and `select`:
through a concrete function, whose errors carry the Python call sites, and, for a Keras
model, also with `from_keras_model`, the route its user takes, whose verdict is the label.
Failing lines come from the converter's error protos; writes tests/evalset/labels.json.

    python tools/evalset_label.py [--timeout 300] [FILE ...]

Files are converted by a worker process, restarted when one crashes or times out.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import re
import selectors
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROOT = Path(__file__).resolve().parents[1]
EVALSET = ROOT / "tests" / "evalset"
LABELS = EVALSET / "labels.json"
TARGETS = ("builtins", "select")
RESULT_MARK = "@@evalset-label@@ "  # tells a result line from whatever the model code prints


# ---- converting one file (runs in the worker, or in-process for the tests) ----

def load_module(path: Path):
    spec = importlib.util.spec_from_file_location(f"evalset_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def caller_line(path: Path, depth: int = 2) -> int | None:
    """The line that called the caller, when it is in `path`."""
    frame = sys._getframe(depth)
    return frame.f_lineno if frame.f_code.co_filename == str(path) else None


@contextlib.contextmanager
def recording_layer_lines(path: Path, lines: dict):
    """Record, for each Keras layer, the file's line that called it, else the one that built it.

    A functional or Sequential model replays its layers from Keras's own code, so the
    converter's frames never reach the user's file for ops inside built-in layers (an
    LSTM's TensorList ops); the op's node name still names the layer."""
    import keras

    layer = keras.layers.Layer
    original_new, original_call = layer.__dict__["__new__"], layer.__call__

    def new(cls, *args, **kwargs):
        obj = original_new.__func__(cls, *args, **kwargs)
        lines[id(obj)] = [obj, None, caller_line(path)]
        return obj

    def call(self, *args, **kwargs):
        entry = lines.get(id(self))
        if entry and entry[1] is None:
            entry[1] = caller_line(path)
        return original_call(self, *args, **kwargs)

    layer.__new__, layer.__call__ = staticmethod(new), call
    try:
        yield
    finally:
        layer.__new__, layer.__call__ = original_new, original_call


def layer_lines_by_name(recorded: dict) -> dict[str, int]:
    return {obj.name: call_line or init_line
            for obj, call_line, init_line in recorded.values() if call_line or init_line}


def line_of_node(node_name: str, layer_lines: dict[str, int]) -> int | None:
    """The line of the innermost layer named in a graph node name such as
    'functional_1/bidirectional_1/forward_lstm_1/TensorArrayV2_1' (TF's name scopes
    add a '_1' to the layer's name)."""
    line = None
    for scope in node_name.split("@", 1)[0].split("/"):
        unscoped = re.sub(r"_\d+$", "", scope)
        line = layer_lines.get(unscoped, layer_lines.get(scope, line))
    return line


def failing_line(location, path: Path, layer_lines: dict[str, int]) -> tuple[int | None, str]:
    """The deepest frame in `path` of the op's own call chain (as --trace locates it), else the line
    that built the Keras layer the failing node is named after."""
    from tflint.trace.locate import user_line

    line = user_line(location, os.path.realpath(path))
    if line is not None:
        return line, "frame"
    named = [c.name for c in location.call if c.name]
    line = line_of_node(named[0], layer_lines) if named else None
    return line, ("layer" if line else "none")


def failures_of(error, path: Path, layer_lines: dict[str, int]) -> list[dict]:
    """One failure per distinct (line, op, code). Errors without a location (the
    tf.Const that comes with a TensorList error) only explain located ones."""
    from tensorflow.compiler.mlir.lite.metrics.converter_error_data_pb2 import ConverterErrorData

    located = [e for e in error.errors if e.location.call] or list(error.errors)
    found = set()
    for e in located:
        line, located_by = failing_line(e.location, path, layer_lines)
        op = e.operator.name.split(".", 1)[-1] or None
        found.add((line or 0, op or "", ConverterErrorData.ErrorCode.Name(e.error_code), located_by))
    return [{"line": line or None, "op": op or None, "code": code, "located_by": by}
            for line, op, code, by in sorted(found)]


def first_message_line(error: BaseException, path: Path) -> str:
    """The first line of the first located error's message (else of any message)."""
    errors = sorted(getattr(error, "errors", ()), key=lambda e: not e.location.call)
    texts = [e.error_message for e in errors if e.error_message] or [str(error)]
    first = next((line for line in texts[0].splitlines() if line.strip()), type(error).__name__)
    return first.replace(str(path.parent) + os.sep, "").strip()[:300]


def model_and_function(model):
    """(kind, concrete function, trackable) for what build_model() returned."""
    import keras
    import tensorflow as tf

    if isinstance(model, keras.Model):
        specs = [tf.TensorSpec(t.shape, t.dtype) for t in model.inputs]
        fn = tf.function(lambda *xs: model(xs[0] if len(xs) == 1 else list(xs), training=False))
        return "keras", fn.get_concrete_function(*specs), model
    if isinstance(model, tf.Module):
        for name in ["__call__"] + sorted(dir(model)):
            attr = getattr(type(model), name, None)
            if getattr(attr, "input_signature", None) is not None:
                return "module", getattr(model, name).get_concrete_function(), model
        raise TypeError("tf.Module without a tf.function with an input_signature")
    if getattr(model, "input_signature", None) is not None:
        return "function", model.get_concrete_function(), None
    raise TypeError(f"build_model() returned {type(model).__name__}, not a model")


def convert(make_converter, target: str, path: Path, layer_lines: dict[str, int]) -> dict:
    from tensorflow.lite.python.convert_phase import ConverterError

    from tflint.knowledge.targets import configure

    converter = make_converter()
    configure(converter, target)
    try:
        converter.convert()
    except ConverterError as e:
        return {"converts": False, "failures": failures_of(e, path, layer_lines),
                "message": first_message_line(e, path)}
    except Exception as e:  # the route itself broke (saving, tracing, an unsupported model)
        return {"converts": False, "failures": [], "message": f"{type(e).__name__}: {first_message_line(e, path)}"}
    return {"converts": True, "failures": [], "message": ""}


def label_file(path: Path) -> dict:
    """Convert the file's model under every target; the label of one file."""
    import keras
    import tensorflow as tf

    path = path.resolve()
    keras.backend.clear_session()  # layer names, hence node names, start afresh
    recorded: dict = {}
    with recording_layer_lines(path, recorded):
        model = load_module(path).build_model()
    layer_lines = layer_lines_by_name(recorded)
    kind, cf, trackable = model_and_function(model)
    label = {"kind": kind}
    for target in TARGETS:
        traced = convert(lambda: tf.lite.TFLiteConverter.from_concrete_functions([cf], trackable),
                         target, path, layer_lines)
        verdict = {"route": "concrete", **traced}
        if kind == "keras":
            keras_route = convert(lambda: tf.lite.TFLiteConverter.from_keras_model(model), target, path, layer_lines)
            verdict = {"route": "keras", **keras_route}
            if keras_route["converts"] != traced["converts"]:
                verdict["disagreement"] = {"concrete": traced}
            elif traced["failures"]:
                verdict["failures"] = traced["failures"]  # the same verdict, with source lines
        label[target] = verdict
    return label


# ---- the worker and its supervisor ----

def worker() -> None:
    for request in sys.stdin:
        path = Path(request.strip())
        try:
            result = label_file(path)
        except Exception as e:  # the file itself is broken: record it, go on
            result = {"error": f"{type(e).__name__}: {first_message_line(e, path)}"}
        print(RESULT_MARK + json.dumps(result), flush=True)


class Worker:
    def __init__(self):
        self.process = subprocess.Popen([sys.executable, __file__, "--worker"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, bufsize=1)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.process.stdout, selectors.EVENT_READ)

    def label(self, path: Path, timeout: float) -> dict | None:
        """The file's label, or None when the worker crashed or hung (it is then dead)."""
        self.process.stdin.write(f"{path}\n")
        self.process.stdin.flush()
        deadline = time.monotonic() + timeout
        while self.selector.select(max(0.0, deadline - time.monotonic())):
            line = self.process.stdout.readline()
            if not line:
                break
            if line.startswith(RESULT_MARK):
                return json.loads(line[len(RESULT_MARK):])
        self.close()
        return None

    def close(self) -> None:
        self.process.kill()
        self.process.wait()


def label_all(paths: list[Path], timeout: float) -> dict:
    labels, current = {}, None
    for path in paths:
        current = current or Worker()
        started = time.monotonic()
        result = current.label(path, timeout)
        if result is None:
            current = None
            result = {"error": f"worker crashed or exceeded {timeout:.0f} s"}
        labels[path.name] = result
        print(f"{path.name}: {summary(result)} ({time.monotonic() - started:.0f} s)", file=sys.stderr)
    if current:
        current.close()
    return labels


def summary(label: dict) -> str:
    if "error" in label:
        return label["error"]
    return " ".join(f"{t}={'ok' if label[t]['converts'] else 'FAIL'}" for t in TARGETS)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="default: every tests/evalset/*.py")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per file")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker()
        return 0
    paths = sorted(p.resolve() for p in args.files) or sorted(EVALSET.glob("*.py"))
    labels = json.loads(LABELS.read_text()) if args.files and LABELS.exists() else {}
    labels.update(label_all(paths, args.timeout))
    LABELS.write_text(json.dumps(dict(sorted(labels.items())), indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
