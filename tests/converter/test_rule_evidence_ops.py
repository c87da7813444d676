"""Each rule's claim, checked with the real converter: the failing example fails, the fix converts."""

import textwrap

import numpy as np
import pytest

from tests.support.converter import convert_function, convert_keras_model, interpreter as make_interpreter, ops_of
from tests.unit.test_project import ALIGNED, CAUSAL_BLOCK

pytestmark = pytest.mark.tensorflow


@pytest.fixture(scope="module")
def tf():
    import tensorflow

    return tensorflow


def test_tfl103_float64_arithmetic_fails_with_builtins_and_converts_with_select(tf):
    spec = [tf.TensorSpec([4, 4], tf.float32)]

    def bad(x):
        return tf.cast(tf.cast(x, tf.float64) * 2.0 + 1.0, tf.float32)

    assert convert_function(bad, spec).failing_ops == {"Mul", "AddV2"}
    assert convert_function(bad, spec, "select").converts
    assert convert_function(lambda x: x * 2.0 + 1.0, spec).converts
    assert convert_function(lambda x: tf.cast(tf.cast(x, tf.float64), tf.float32), spec).converts  # VALID: cast only
    assert convert_function(lambda x: x * tf.cast(tf.constant(2.0, tf.float64), tf.float32), spec).converts  # folded


def test_tfl103_float64_with_a_constant_fails_unless_the_constant_simplifies_away(tf):
    import numpy as np

    spec = [tf.TensorSpec([None, 4], tf.float32)]

    def standardized(mean, var):
        m, v = tf.constant(mean, tf.float64), tf.constant(var, tf.float64)
        return lambda x: tf.cast((tf.cast(x, tf.float64) - m) / tf.sqrt(v), tf.float32)

    assert convert_function(standardized(np.arange(4.0), np.full(4, 4.0)), spec).failing_ops == {"Sub", "RealDiv"}
    # x - 0 and x / sqrt(1) are simplified away (evalset module_float64_variance.py's line 14)
    assert convert_function(standardized(np.zeros(4), np.ones(4)), spec).converts


def _tflite(fn, spec):
    import tensorflow as tf

    return tf.lite.TFLiteConverter.from_concrete_functions([tf.function(fn).get_concrete_function(spec)]).convert()


def _run_tflite(model: bytes, x: np.ndarray):
    interpreter = make_interpreter(model)
    inp = interpreter.get_input_details()[0]
    interpreter.resize_tensor_input(inp["index"], x.shape)
    interpreter.allocate_tensors()
    interpreter.set_tensor(inp["index"], x)
    interpreter.invoke()
    return interpreter.get_tensor(interpreter.get_output_details()[0]["index"]), ops_of(model)


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
    assert convert_function(lambda x: tf.py_function(lambda a: a * 2, [x], tf.float32), spec, target).failing_ops == {
        "EagerPyFunc"}
    assert convert_function(lambda x: tf.numpy_function(lambda a: a * 2, [x], tf.float32), spec, target).failing_ops == {
        "PyFunc"}
    assert convert_function(lambda x: x * 2, spec, target).converts


def test_tfl202_roll_converts_with_static_shapes_and_fails_with_a_none_batch(tf):
    def roll(x):
        return tf.roll(x, shift=-1, axis=-1) - x

    assert convert_function(roll, [tf.TensorSpec([4, 8], tf.float32)]).converts
    assert convert_function(roll, [tf.TensorSpec([None, 8], tf.float32)]).failing_ops == {"Roll"}


@pytest.mark.parametrize("index,shape,fails", [
    ("x[:, None, :]", [None, None], True),      # TFL203's INVALID example: error
    ("x[..., None]", [None, None], True),
    ("x[:, None, 1:]", [None, None], True),
    ("x[:, None, :, :]", [None, None, 5], True),
    ("x[:, None, :]", [None, 4], False),        # one dynamic dimension: VALID
    ("x[:, None, :]", [2, 4], False),
    ("x[:, None]", [None, None], False),        # nothing reaches the last dimension: VALID
    ("x[None, :]", [None, None], False),
    ("x[:, :, None]", [None, None, 5], False),
    ("x[0, None, :]", [None, None, 4], False),  # the integer drops a dynamic dimension: VALID
])
def test_tfl203_new_axis_fails_on_two_dynamic_dimensions_reaching_every_dimension(tf, index, shape, fails):
    fn = eval(f"lambda x: {index}")  # noqa: S307 (the indexing forms TFL203 tells apart)
    spec = [tf.TensorSpec(shape, tf.float32)]
    outcome = convert_function(fn, spec)
    assert outcome.converts is not fails
    if fails:
        assert outcome.failing_ops == {"StridedSlice"}
        assert convert_function(fn, spec, "select").converts  # hence a warning under select


def test_tfl203_fix_expand_dims_converts_and_computes_the_same(tf):
    spec = tf.TensorSpec([None, None], tf.float32)
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    for index, axis in (("x[:, None, :]", 1), ("x[..., None]", -1), ("x[None, :, :]", 0)):
        fixed = lambda x, axis=axis: tf.expand_dims(x, axis)  # noqa: E731 (what --fix writes)
        assert convert_function(fixed, [spec]).converts
        out, _ = _run_tflite(_tflite(fixed, spec), x)
        np.testing.assert_array_equal(out, eval(index, {"x": x}))  # noqa: S307 (NumPy indexes alike)


@pytest.mark.parametrize("shape, mask, fails", [
    ([None, None, 8], "causal", True),  # TFL203's INVALID example: a dynamic length
    ([1, None, 8], "causal", True),  # batch 1 does not help: the mask is [length, length]
    ([None, 6, 8], "causal", False),  # VALID: a static length
    ([None, None, 8], "none", False),  # VALID: use_causal_mask=False
    ([None, None, 8], "explicit", False),  # the way out: the mask made with expand_dims
])
def test_tfl203_multi_head_attention_causal_mask_fails_on_a_dynamic_length(tf, shape, mask, fails):
    import keras
    from keras import ops

    x = keras.Input(batch_shape=shape)
    attention = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)
    if mask == "explicit":
        def causal(t):  # in a layer: a symbolic tensor has no length to make a range of
            i = ops.arange(ops.shape(t)[1])
            return ops.expand_dims(ops.expand_dims(i, 1) >= ops.expand_dims(i, 0), 0)

        y = attention(x, x, attention_mask=keras.layers.Lambda(causal)(x))
    else:
        y = attention(x, x, use_causal_mask=mask == "causal")
    outcome = convert_keras_model(keras.Model(x, y))
    assert outcome.converts is not fails
    if fails:
        assert outcome.failing_ops == {"StridedSlice"}


def _project_layer(source: str, name: str):
    """A layer class of tests/unit/test_project.py's sources: the converter judges the code tflint does."""
    namespace: dict = {}
    exec(textwrap.dedent(source), namespace)  # noqa: S102 (the test's own source)
    return namespace[name]


@pytest.mark.parametrize("kwargs, fails", [({}, True), ({"causal": False}, False)])
def test_tfl203_a_causal_flag_from_the_constructor_fails_where_it_is_built_true(tf, kwargs, fails):
    """tests/unit/test_project.py's Block, built with its default (causal=True) or causal=False."""
    import keras

    x = keras.Input((None, 8))
    outcome = convert_keras_model(keras.Model(x, _project_layer(CAUSAL_BLOCK, "Block")(4, **kwargs)(x)))
    assert outcome.converts is not fails
    if fails:
        assert outcome.failing_ops == {"StridedSlice"}


def _fixed_list(x):
    indices = [slice(None), None, slice(None)]
    return x[indices]


def _list_set_at_run_time(x, axes=(0, -1)):
    indices = [None] * 3
    for i in axes:
        indices[i] = slice(None)
    return x[indices]


@pytest.mark.parametrize("fn", [_fixed_list, _list_set_at_run_time])
@pytest.mark.parametrize("shape, fails", [([None, None], True), ([None, 4], False), ([2, 4], False)])
def test_tfl203_a_list_index_is_the_tuple_of_its_entries(tf, fn, shape, fails):
    """TensorFlow reads `x[indices]` as `x[:, None, :]`: the same verdict by the dynamic dimensions."""
    outcome = convert_function(fn, [tf.TensorSpec(shape, tf.float32)])
    assert outcome.converts is not fails
    if fails:
        assert outcome.failing_ops == {"StridedSlice"}


@pytest.mark.parametrize("shape, fails", [
    ([None, None, 2, 8], True),  # the aligned [batch, length, 8] keeps two dynamic dimensions
    ([None, 6, 2, 8], False),
    ([1, None, 2, 8], False),  # one dynamic dimension left
])
def test_tfl203_a_list_with_slices_at_the_axes_the_caller_passes(tf, shape, fails):
    """tests/unit/test_project.py's Rotary layer: slice(None) at axes [0, 1, -1] of a list of 4."""
    import keras

    Rotary = _project_layer(ALIGNED, "Rotary")
    x = keras.Input(batch_shape=shape)
    outcome = convert_keras_model(keras.Model(x, Rotary()(x)))
    assert outcome.converts is not fails
    if fails:
        assert outcome.failing_ops == {"StridedSlice"}


@pytest.mark.parametrize("api,dtype,converts", [
    ("tf.abs", "int64", False),      # TFL102's INVALID examples: the dtype decides
    ("tf.abs", "int32", True),       # VALID
    ("tf.abs", "float32", True),
    ("keras.ops.sign", "int64", False),
    ("keras.ops.sign", "float32", True),
])
def test_input_dtype_decides_abs_and_sign(tf, api, dtype, converts):
    import keras

    fn = {"tf.abs": tf.abs, "keras.ops.sign": keras.ops.sign}[api]
    outcome = convert_function(fn, [tf.TensorSpec([None, 4], getattr(tf, dtype))])
    assert outcome.converts is converts
    if not converts:
        assert outcome.failing_ops <= {"Abs", "Sign"} and outcome.failing_ops
        assert convert_function(fn, [tf.TensorSpec([None, 4], getattr(tf, dtype))], "select").converts


@pytest.mark.parametrize("args,converts", [(1, False), (3, True)])
def test_call_form_decides_keras_ops_where(tf, args, converts):
    import keras

    def where(x):
        return keras.ops.where(x > 0, x, 0.0) if args == 3 else tf.cast(keras.ops.where(x > 0)[0], tf.float32)

    assert convert_function(where, [tf.TensorSpec([3], tf.float32)]).converts is converts
