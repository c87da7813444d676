"""Each rule's claim, checked with the real converter: the failing example fails, the fix converts."""

import numpy as np
import pytest

pytestmark = pytest.mark.tensorflow


@pytest.fixture(scope="module")
def tf():
    from .converter import tf

    return tf


def _convert(fn, specs, target="builtins"):
    from .converter import convert_function

    return convert_function(fn, specs, target)


def test_tfl103_float64_arithmetic_fails_with_builtins_and_converts_with_select(tf):
    spec = [tf.TensorSpec([4, 4], tf.float32)]

    def bad(x):
        return tf.cast(tf.cast(x, tf.float64) * 2.0 + 1.0, tf.float32)

    assert _convert(bad, spec).failing_ops == {"Mul", "AddV2"}
    assert _convert(bad, spec, "select").converts
    assert _convert(lambda x: x * 2.0 + 1.0, spec).converts
    assert _convert(lambda x: tf.cast(tf.cast(x, tf.float64), tf.float32), spec).converts  # VALID: cast only
    assert _convert(lambda x: x * tf.cast(tf.constant(2.0, tf.float64), tf.float32), spec).converts  # folded


def _tflite(fn, spec):
    import tensorflow as tf

    return tf.lite.TFLiteConverter.from_concrete_functions([tf.function(fn).get_concrete_function(spec)]).convert()


def _run_tflite(model: bytes, x: np.ndarray):
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    # without default delegates, so the op list is the model's own (XNNPACK would fold ops into DELEGATE)
    interpreter = Interpreter(model_content=model,
                              experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    inp = interpreter.get_input_details()[0]
    interpreter.resize_tensor_input(inp["index"], x.shape)
    interpreter.allocate_tensors()
    interpreter.set_tensor(inp["index"], x)
    interpreter.invoke()
    ops = {op["op_name"] for op in interpreter._get_ops_details()}
    return interpreter.get_tensor(interpreter.get_output_details()[0]["index"]), ops


def test_tfl201_runtime_shape_adds_ops_and_the_fix_computes_the_same(tf):
    spec = tf.TensorSpec([None, 10], tf.float32)
    dynamic = _tflite(lambda x: tf.reshape(x, [tf.shape(x)[0], 2, 5]), spec)
    fixed = _tflite(lambda x: tf.reshape(x, [-1, 2, 5]), spec)
    x = np.random.default_rng(0).random((3, 10), dtype=np.float32)
    out_dynamic, ops_dynamic = _run_tflite(dynamic, x)
    out_fixed, ops_fixed = _run_tflite(fixed, x)
    assert {"SHAPE", "STRIDED_SLICE", "PACK", "RESHAPE"} <= ops_dynamic
    assert ops_fixed == {"RESHAPE"}
    assert len(fixed) < len(dynamic)
    np.testing.assert_array_equal(out_dynamic, out_fixed)


@pytest.mark.parametrize("target", ["builtins", "select"])
def test_tfl401_python_callbacks_fail_under_every_target(tf, target):
    spec = [tf.TensorSpec([4], tf.float32)]
    assert _convert(lambda x: tf.py_function(lambda a: a * 2, [x], tf.float32), spec, target).failing_ops == {
        "EagerPyFunc"}
    assert _convert(lambda x: tf.numpy_function(lambda a: a * 2, [x], tf.float32), spec, target).failing_ops == {
        "PyFunc"}
    assert _convert(lambda x: x * 2, spec, target).converts
