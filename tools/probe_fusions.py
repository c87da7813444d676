"""Which spellings of a composite does the converter fuse away? `python tools/probe_fusions.py`

The converter's optimize pass (tensorflow/compiler/mlir/lite/transforms/optimize_patterns.td)
rewrites a few exact graph shapes into one builtin op. Most of those shapes are made of ops that
convert anyway; these are the ones whose parts change a verdict on their own: Erf and Erfc fail
under builtins, POW and SQUARE have no int8 kernel (kept in float32 under int8). Each spelling
below is traced on a float32 [None, 8] input and converted with builtins and with
TFLITE_BUILTINS_INT8; the op "stays" when the builtins conversion names it as failing or the
model holds it. tflint/analysis/fusion.py recognises the fused spellings; tests/unit/test_fusion.py
checks it against this table and tests/converter/test_fusions.py converts every row again.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


class Spelling(NamedTuple):
    form: str     # an expression of `x` (and tf, keras, math, np)
    api: str      # the call whose op the converter may fuse away
    fused: bool   # measured with TF 2.21: the op is gone from the converted model


# TF op name -> the TFLite builtin it would be when it converts on its own (None: it fails alone).
OPS = {"Erf": None, "Erfc": None, "Pow": "POW", "Square": "SQUARE"}
API_OPS = {"tf.math.erf": "Erf", "keras.ops.erf": "Erf", "tf.math.erfc": "Erfc", "keras.ops.erfc": "Erfc",
           "tf.pow": "Pow", "tf.math.pow": "Pow", "keras.ops.power": "Pow", "tf.square": "Square",
           "tf.math.square": "Square", "keras.ops.square": "Square"}

SPELLINGS = (
    # exact GELU with erf: MatchGelu
    Spelling("0.5 * x * (1.0 + tf.math.erf(x / math.sqrt(2.0)))", "tf.math.erf", True),
    Spelling("x * 0.5 * (1.0 + tf.math.erf(x * 0.7071067811865476))", "tf.math.erf", True),
    Spelling("0.5 * x * (tf.math.erf(x / math.sqrt(2.0)) + 1.0)", "tf.math.erf", True),
    Spelling("0.5 * x * (1.0 + keras.ops.erf(x / tf.sqrt(2.0)))", "keras.ops.erf", True),
    Spelling("x * (1.0 + tf.math.erf(x / math.sqrt(2.0))) / 2.0", "tf.math.erf", False),
    Spelling("(1.0 + tf.math.erf(x / math.sqrt(2.0))) * (0.5 * x)", "tf.math.erf", False),
    Spelling("x * (0.5 * (1.0 + tf.math.erf(x / math.sqrt(2.0))))", "tf.math.erf", False),
    Spelling("0.5 * x * (1.0 + tf.math.erf(x * 0.7071))", "tf.math.erf", False),
    Spelling("1.0 + tf.math.erf(x)", "tf.math.erf", False),
    # exact GELU with erfc (what tf.nn.gelu emits): MatchGeluWithErfc
    Spelling("0.5 * x * tf.math.erfc(-x / math.sqrt(2.0))", "tf.math.erfc", True),
    Spelling("x * 0.5 * tf.math.erfc(-x * 0.7071067811865476)", "tf.math.erfc", True),
    Spelling("0.5 * x * keras.ops.erfc(-x / 1.4142135623730951)", "keras.ops.erfc", True),
    Spelling("0.5 * x * tf.math.erfc(-(x / math.sqrt(2.0)))", "tf.math.erfc", False),
    Spelling("0.5 * x * tf.math.erfc(x * -0.7071067811865476)", "tf.math.erfc", False),
    Spelling("tf.math.erfc(-x / math.sqrt(2.0)) * 0.5 * x", "tf.math.erfc", False),
    Spelling("x * tf.math.erfc(-x / math.sqrt(2.0)) / 2.0", "tf.math.erfc", False),
    # tanh GELU: MatchGeluApproximate, MatchGeluApproximate1
    Spelling("0.5 * x * (1.0 + tf.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * tf.pow(x, 3))))", "tf.pow", True),
    Spelling("x * (0.5 * (1.0 + tf.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * tf.math.pow(x, 3.0)))))",
             "tf.math.pow", True),
    Spelling("0.5 * x * (keras.ops.tanh((x + keras.ops.power(x, 3) * 0.044715) * 0.7978845608) + 1.0)",
             "keras.ops.power", True),
    Spelling("0.5 * x * (1.0 + tf.tanh(math.sqrt(2 / math.pi) * (tf.pow(x, 3) * 0.044715 + x)))", "tf.pow", False),
    Spelling("0.5 * x * (1.0 + tf.tanh(0.7978 * (x + 0.044715 * tf.pow(x, 3))))", "tf.pow", False),
    Spelling("(0.5 * (1.0 + tf.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * tf.pow(x, 3))))) * x", "tf.pow", False),
    # pow with a constant exponent: OptimizePow1ToIdentity, OptimizePow2ToSquare (a MUL), ...ToSqrt, ...ToRsqrt
    Spelling("tf.pow(x, 2)", "tf.pow", True),
    Spelling("keras.ops.power(x, 0.5)", "keras.ops.power", True),
    Spelling("tf.math.pow(x, -0.5)", "tf.math.pow", True),
    Spelling("x * keras.ops.rsqrt(keras.ops.mean(keras.ops.power(x, 2), axis=-1, keepdims=True) + 1e-6)",
             "keras.ops.power", True),  # RMSNorm as keras-hub writes it (llama_layernorm.py)
    Spelling("x * keras.ops.power(keras.ops.mean(x * x, axis=-1, keepdims=True) + 1e-6, -0.5)",
             "keras.ops.power", True),  # gemma4_layers.py
    Spelling("tf.pow(x, 3)", "tf.pow", False),
    Spelling("tf.math.pow(x, -1.0)", "tf.math.pow", False),
    # square of a difference: SQUARED_DIFFERENCE
    Spelling("tf.square(x - tf.reduce_mean(x, axis=-1, keepdims=True))", "tf.square", True),
    Spelling("keras.ops.square(1.0 - x)", "keras.ops.square", True),
    Spelling("tf.math.square(tf.subtract(x, 2.0))", "tf.math.square", True),
    Spelling("tf.square(x + 1.0)", "tf.square", False),
    Spelling("tf.square(x) - 1.0", "tf.square", False),
    # L2 normalization written out: L2NormalizePattern1-3 (Mul/Rsqrt, Div/Sqrt; + eps or maximum, eps < 1e-3)
    Spelling("x * tf.math.rsqrt(tf.reduce_sum(tf.square(x), axis=-1, keepdims=True))", "tf.square", True),
    Spelling("x / tf.sqrt(tf.maximum(tf.reduce_sum(tf.square(x), axis=-1, keepdims=True), 1e-12))", "tf.square", True),
    Spelling("x * keras.ops.rsqrt(1e-6 + keras.ops.sum(keras.ops.square(x), -1, keepdims=True))", "keras.ops.square", True),
    Spelling("x / keras.ops.sqrt(keras.ops.sum(keras.ops.square(x), axis=[-1], keepdims=True) + 1e-6)",
             "keras.ops.square", True),
    Spelling("x * tf.math.rsqrt(tf.reduce_sum(tf.square(x), axis=-1, keepdims=True) + 1e-2)", "tf.square", False),
    Spelling("tf.math.rsqrt(tf.reduce_sum(tf.square(x), axis=-1, keepdims=True)) * x", "tf.square", False),
    Spelling("x * tf.math.rsqrt(tf.reduce_sum(tf.square(x), axis=0, keepdims=True))", "tf.square", False),
)


def namespace() -> dict:
    import math

    import keras
    import numpy as np
    import tensorflow as tf

    return {"tf": tf, "keras": keras, "math": math, "np": np}


def measure(spelling: Spelling, names: dict) -> dict:
    """The converted model's ops under builtins and int8 (or the failing ops), and whether the
    spelling's op stays."""
    import numpy as np
    import tensorflow as tf

    from probes import convert

    fn = eval(f"lambda x: {spelling.form}", names)  # noqa: S307 (the table's own expressions)
    concrete = tf.function(fn).get_concrete_function(tf.TensorSpec([None, 8], tf.float32))
    op = API_OPS[spelling.api]
    builtins = _convert(concrete, "builtins")
    stays = op in builtins["failing"] or OPS[op] in builtins["ops"]
    result = {"builtins": builtins, "stays": stays}
    if OPS[op] is not None:
        samples = [[np.random.uniform(-3, 3, (1, 8)).astype(np.float32)] for _ in range(4)]
        result["int8"] = vars(convert.convert(concrete, "int8", samples))
    return result


def _convert(concrete, target: str) -> dict:
    """{"ops": TFLite ops of the converted model, "failing": TF ops the converter named}."""
    import tensorflow as tf
    from ai_edge_litert.interpreter import Interpreter, OpResolverType
    from tensorflow.lite.python.convert_phase import ConverterError

    from probes import convert

    converter = tf.lite.TFLiteConverter.from_concrete_functions([concrete])
    converter.target_spec.supported_ops = convert.OPS_SETS[target]
    try:
        model = converter.convert()
    except ConverterError as e:
        return {"ops": [], "failing": convert._failure(e).failing}
    interpreter = Interpreter(model_content=model,
                              experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    return {"ops": [op["op_name"] for op in interpreter._get_ops_details()], "failing": []}


def main() -> int:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)  # the MLIR converter prints every error with its call stack to fd 2
    names = namespace()
    wrong = 0
    for spelling in SPELLINGS:
        result = measure(spelling, names)
        agrees = result["stays"] is not spelling.fused
        wrong += not agrees
        builtins = result["builtins"]
        shown = ",".join(builtins["ops"]) if builtins["ops"] else "fails: " + ",".join(builtins["failing"])
        int8 = result.get("int8")
        kept = f"; int8 {int8['status']} {','.join(int8['failing'])}".rstrip() if int8 else ""
        print(f"{'fused' if not result['stays'] else 'stays'}{'' if agrees else ' (TABLE SAYS OTHERWISE)'}: "
              f"{spelling.form}\n    builtins {shown}{kept}", flush=True)
    print(f"{len(SPELLINGS) - wrong} of {len(SPELLINGS)} spellings as the table says")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
