"""Tracing one call and converting it with the real TFLiteConverter under each target.

One conversion of a tiny model takes ~50 ms here (int8 ~60 ms), so each API is converted
on its own: the verdict is then exactly the API's, with no attribution between APIs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import tensorflow as tf
from tensorflow.lite.python.convert_phase import ConverterError

# Ops that carry no computation of their own (inputs, constants, variables, plumbing).
TRIVIAL = {"Placeholder", "Const", "Identity", "IdentityN", "NoOp", "ReadVariableOp", "VarHandleOp",
           "PartitionedCall", "StatefulPartitionedCall", "_Arg", "_Retval", "AssignVariableOp",
           "VarIsInitializedOp", "StopGradient"}
ERROR_CODES = {0: "UNKNOWN", 1: "ERROR_NEEDS_FLEX_OPS", 2: "ERROR_NEEDS_CUSTOM_OPS", 3: "ERROR_UNSUPPORTED_CONTROL_FLOW_V1",
               4: "ERROR_GPU_NOT_COMPATIBLE"}
OPS_SETS = {
    "builtins": [tf.lite.OpsSet.TFLITE_BUILTINS],
    "select": [tf.lite.OpsSet.TFLITE_BUILTINS, tf.lite.OpsSet.SELECT_TF_OPS],
    "int8": [tf.lite.OpsSet.TFLITE_BUILTINS_INT8],
}
QUANT_PLUMBING = {"QUANTIZE", "DEQUANTIZE"}
# int8 calibration and quantization run in this process and segfault on some graphs (tf.map_fn's
# loop, MelSpectrogram): the worker marks each one (`before`/`after`) so the parent knows where its
# worker died, and gives `crashed`, the API's int8 verdict once a worker has crashed there.
CALIBRATION: dict[str, Callable | None] = {"before": None, "after": None, "crashed": None}


@dataclass
class Outcome:
    status: str                  # converts | fails | unknown | float (int8 only: an op kept in float32)
    evidence: str = ""
    failing: list[str] = field(default_factory=list)  # TF op names (or TFLite ops kept in float)
    codes: list[str] = field(default_factory=list)  # the converter's error code per failing op


def graph_ops(concrete) -> list[str]:
    """Op types of the traced graph and of every function it calls (loops, conds, layers)."""
    graph_def = concrete.graph.as_graph_def()
    types = {n.op for n in graph_def.node}
    for fn in graph_def.library.function:
        types.update(n.op for n in fn.node_def)
    library = {fn.signature.name for fn in graph_def.library.function}
    return sorted(t for t in types if t not in TRIVIAL and t not in library)


def signature(concrete) -> str:
    """What decides a conversion: every node's op and attributes, and the inputs (names left out)."""
    graph_def = concrete.graph.as_graph_def()
    nodes = [*graph_def.node, *(n for fn in graph_def.library.function for n in fn.node_def)]
    parts = sorted(f"{n.op}{len(n.input)}:" + ",".join(f"{k}={v.SerializeToString().hex()}"
                                                        for k, v in sorted(n.attr.items()) if not k.startswith("_"))
                   for n in nodes)
    specs = [f"{t.dtype.name}{t.shape}" for t in concrete.inputs]
    return "|".join([*specs, *parts])


def convert(concrete, target: str, samples=None, trackable=None) -> Outcome:
    # Without a trackable object the converter freezes captured variables into constants, as
    # from_keras_model does; with one, Keras 3 weights stay resource variables (READ_VARIABLE).
    converter = tf.lite.TFLiteConverter.from_concrete_functions([concrete], trackable)
    converter.target_spec.supported_ops = OPS_SETS[target]
    if target == "select":  # what the converter's TensorList error asks users of Select TF ops to do
        converter._experimental_lower_tensor_list_ops = False
    if target == "int8":
        crashed = CALIBRATION["crashed"] and CALIBRATION["crashed"]()
        if crashed:
            return crashed
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = lambda: iter(samples)
    try:
        model = _run(converter, target)
    except ConverterError as e:
        return _failure(e)
    except Exception as e:
        # Not the converter's verdict: calibration running a kernel on the probe's random inputs
        # (segment ids, FFT lengths), or the probe's own harness. Unknown, so no rule reports it.
        return Outcome("unknown", f"probe could not judge: {type(e).__name__}: {_first_line(str(e))}")
    if target == "int8":
        return _float_fallback(model)
    return Outcome("converts")


def _run(converter, target: str) -> bytes:
    if target != "int8" or CALIBRATION["before"] is None:
        return converter.convert()
    CALIBRATION["before"]()
    try:
        return converter.convert()
    finally:
        CALIBRATION["after"]()


def _failure(error: ConverterError) -> Outcome:
    failing, lines, codes = [], [], []
    for item in error.errors:
        op = item.operator.name.removeprefix("tf.")
        code = ERROR_CODES.get(item.error_code, str(item.error_code))
        if op and op not in failing:
            failing.append(op)
            codes.append(code)
            lines.append(f"{code}: {_first_line(item.error_message)}")
    if not lines:
        lines.append(_first_line(str(error)))
    return Outcome("fails", "; ".join(lines), failing, codes)


def select_from_codes(builtins: Outcome) -> Outcome | None:
    """The Select TF ops verdict the builtins failure implies: every failing op needs Flex -> converts,
    one needs a custom op -> fails; None when the codes don't say (TensorList lowering, ...). The
    2.21 data agreed with real select conversions on all 318 failures with these codes."""
    if builtins.codes and set(builtins.codes) == {"ERROR_NEEDS_FLEX_OPS"}:
        return Outcome("converts")
    if "ERROR_NEEDS_CUSTOM_OPS" in builtins.codes:
        return Outcome("fails", builtins.evidence, builtins.failing, builtins.codes)
    return None


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if "error:" in line:
            return line[line.index("error:") + 6:].strip()[:300]
    return text.strip().splitlines()[0][:300] if text.strip() else ""


def _float_fallback(model: bytes) -> Outcome:
    """Full-integer conversion succeeded: did it keep any computing op in float32?"""
    from ai_edge_litert.interpreter import Interpreter
    interpreter = Interpreter(model_content=model)
    tensors = {t["index"]: t for t in interpreter.get_tensor_details()}
    kept = []
    for op in interpreter._get_ops_details():
        if op["op_name"] in QUANT_PLUMBING:
            continue
        io = [i for i in (*op["inputs"], *op["outputs"]) if i >= 0]
        if any(tensors[i]["dtype"] == tf.float32.as_numpy_dtype for i in io) and op["op_name"] not in kept:
            kept.append(op["op_name"])
    if kept:
        return Outcome("float", f"full-integer model keeps {', '.join(kept)} in float32 (no int8 kernel)", kept)
    return Outcome("converts")
