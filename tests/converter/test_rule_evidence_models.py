"""Each TFL3xx/TFL4xx/TFL5xx rule, and reach/folding, checked against the real converter (TF 2.21):
the source the rule reports really fails (or does what the rule says), and the fix really works.
Every case also lints the same source, so rule and converter are judged on one text."""

from __future__ import annotations

import importlib.util
import os
import textwrap
import warnings
from pathlib import Path

import pytest

from tflint.config import Settings
from tflint.engine import Source, lint_text
from tflint.knowledge.targets import configure

from tests.support.converter import ops_of

pytestmark = pytest.mark.tensorflow
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture(scope="module")
def tf():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow

    return tensorflow


@pytest.fixture
def load(tmp_path):
    """Write a source to a file, lint it, import it: (module, codes reported)."""
    def _load(code: str, target: str = "builtins", name: str = "probe"):
        code = textwrap.dedent(code)
        path = tmp_path / f"{name}.py"
        path.write_text(code)
        codes = [d.code for d in lint_text(str(path), Source(code, "utf-8"), Settings(target=target)).diagnostics]
        spec = importlib.util.spec_from_file_location(f"issue5_{name}_{id(path)}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module, codes
    return _load


def _fixture(name: str):
    spec = importlib.util.spec_from_file_location(f"fixture_{name}", FIXTURES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def convert(tf, model_or_fn, target="builtins", **attrs):
    """The converted flatbuffer, or the ConverterError/ValueError raised."""
    if hasattr(model_or_fn, "get_concrete_function"):
        converter = tf.lite.TFLiteConverter.from_concrete_functions([model_or_fn.get_concrete_function()])
    else:
        converter = tf.lite.TFLiteConverter.from_keras_model(model_or_fn)
    configure(converter, target)
    for key, value in attrs.items():
        setattr(converter, key, value)
    try:
        return converter.convert()
    except Exception as e:  # ConverterError or ValueError, inspected by the caller
        return e


def failed_ops(error) -> set[str]:
    return {e.operator.name for e in getattr(error, "errors", ())}


# -- reach and folding ------------------------------------------------------------------

def test_deep_helper_chain_fails_where_reported(tf):
    error = convert(tf, _fixture("deep_helper_chain").build_model())
    assert "tf.MatrixInverse" in failed_ops(error)


def test_data_pipeline_code_is_not_in_the_model(tf):
    fixture = _fixture("data_pipeline_strings")
    assert isinstance(convert(tf, fixture.build_model()), bytes)
    assert next(iter(fixture.make_dataset())).shape == (2, 3)  # the pipeline really runs the string ops
    parse = tf.function(fixture.parse_line, input_signature=[tf.TensorSpec([], tf.string)])
    assert "tf.StringLength" in failed_ops(convert(tf, parse))  # ... which alone would not convert


CONSTRUCTED = """
    import tensorflow as tf
    import keras


    def projection(n):
        q, _ = tf.linalg.qr(tf.random.stateless_normal((n, n), seed=(1, 2)))
        return q


    class Project(keras.layers.Layer):
        def __init__(self, **kw):
            super().__init__(**kw)
            self.proj = projection(4)  # runs eagerly, once: a constant of the model

        def call(self, x):
            return tf.matmul(x, {proj})


    def build_model():
        x = keras.Input((4,))
        return keras.Model(x, Project()(x))
"""


@pytest.mark.parametrize("proj, reported", [("self.proj", False), ("projection(4)", True)])
def test_ops_a_constructor_runs_are_constants(tf, load, proj, reported):
    """QR in a layer's constructor converts with builtins (not reported); the same QR in call() fails."""
    module, codes = load(CONSTRUCTED.format(proj=proj), name="constructed")
    result = convert(tf, module.build_model())
    assert set(codes) == ({"TFL102"} if reported else set())  # Qr, and the random normal
    assert isinstance(result, bytes) != reported
    if reported:
        assert "tf.Qr" in failed_ops(result)


def test_ops_on_weights_and_constants_fold(tf, load):
    module, codes = load("""
        import tensorflow as tf, keras
        class Whiten(keras.layers.Layer):
            def build(self, shape):
                self.kernel = self.add_weight(shape=(3, 3), initializer="identity")
            def call(self, x):
                return tf.matmul(x, tf.linalg.inv(self.kernel))
        def build_model():
            inp = keras.Input((3,))
            return keras.Model(inp, Whiten()(inp))
    """)
    assert codes == []
    assert ops_of(convert(tf, module.build_model())) == {"FULLY_CONNECTED"}
    assert isinstance(convert(tf, _fixture("folded_constants").project), bytes)


# -- TFL3xx -----------------------------------------------------------------------------

RNN = """
    import keras
    def build_model():
        inp = keras.Input((5, 3){batch})
        x = keras.layers.LSTM(4{unroll})(inp)
        return keras.Model(inp, x)
"""


def test_tfl301_rnn_dynamic_batch(tf, load):
    bad, codes = load(RNN.format(batch="", unroll=""), name="rnn_bad")
    assert codes == ["TFL301"]
    error = convert(tf, bad.build_model())
    assert "requires element_shape to be static" in str(error)
    assert "Flex" in " ".join(ops_of(convert(tf, bad.build_model(), "select")))
    for fixed, name in ((RNN.format(batch=", batch_size=1", unroll=""), "rnn_batch"),
                        (RNN.format(batch="", unroll=", unroll=True"), "rnn_unroll")):
        good, codes = load(fixed, name=name)
        assert codes == []
        assert isinstance(convert(tf, good.build_model()), bytes)


def test_tfl301_fixtures(tf):
    assert "tf.TensorListReserve" in failed_ops(convert(tf, _fixture("rnn_dynamic_batch").build_model()))
    assert isinstance(convert(tf, _fixture("rnn_fixed_batch").build_model()), bytes)


def test_tfl302_get_config(tf, load, tmp_path):
    import keras

    module, codes = load("""
        import keras, numpy as np
        class NoKwargs(keras.layers.Layer):
            def __init__(self, factor):
                super().__init__()
                self.factor = factor
            def call(self, x):
                return x * self.factor
        class Wraps(keras.layers.Layer):
            def __init__(self, inner, **kwargs):
                super().__init__(**kwargs)
                self.inner = inner
            def call(self, x):
                return self.inner(x)
        class Fixed(keras.layers.Layer):
            def __init__(self, factor, **kwargs):
                super().__init__(**kwargs)
                self.factor = factor
            def call(self, x):
                return x * self.factor
        def wrapped():
            return Wraps(keras.layers.Dense(3))
    """)
    assert codes == ["TFL302", "TFL302"]
    custom = {"NoKwargs": module.NoKwargs, "Wraps": module.Wraps, "Fixed": module.Fixed}

    def roundtrip(layer):
        inp = keras.Input((3,))
        path = str(tmp_path / f"{type(layer).__name__}.keras")
        keras.Model(inp, layer(inp)).save(path)
        return keras.models.load_model(path, custom_objects=custom)

    with pytest.raises(TypeError, match="could not be deserialized"):
        roundtrip(module.NoKwargs(2.0))
    with pytest.raises(NotImplementedError, match="must override `get_config"):
        roundtrip(module.wrapped())
    assert roundtrip(module.Fixed(2.0)) is not None


def test_tfl303_preprocessing_layers(tf, load):
    module, codes = load("""
        import keras
        def build_model():
            text = keras.Input((1,), dtype="string")
            vec = keras.layers.TextVectorization(vocabulary=["a", "b"], output_sequence_length=4)
            return keras.Model(text, vec(text))
        def build_lookup():
            text = keras.Input((1,), dtype="string")
            return keras.Model(text, keras.layers.StringLookup(vocabulary=["a", "b"])(text))
    """)
    assert codes == ["TFL303"]
    assert "tf.StringSplitV2" in failed_ops(convert(tf, module.build_model()))
    assert isinstance(convert(tf, module.build_model(), "select"), bytes)
    assert "HASHTABLE_FIND" in ops_of(convert(tf, module.build_lookup()))


# -- TFL4xx -----------------------------------------------------------------------------

def test_tfl402_tensorarray_dynamic_size(tf, load):
    source = """
        import tensorflow as tf
        @tf.function(input_signature=[tf.TensorSpec([3])])
        def f(x):
            ta = tf.TensorArray(tf.float32, {args})
            for i in tf.range(4):
                ta = ta.write(i, x * 2.0)
            return ta.stack()
    """
    bad, codes = load(source.format(args="size=0, dynamic_size=True"), name="ta_bad")
    assert codes == ["TFL402"]
    assert "Lowering tensor list ops is failed" in str(convert(tf, bad.f))
    assert isinstance(convert(tf, bad.f, "select"), bytes)
    good, codes = load(source.format(args="size=4, element_shape=[3]"), name="ta_good")
    assert codes == [] and isinstance(convert(tf, good.f), bytes)
    assert "Lowering tensor list ops" in str(convert(tf, _fixture("decoder_tensorarray").decode))


# -- TFL5xx -----------------------------------------------------------------------------

CONVERT = """
    import numpy as np
    import tensorflow as tf, keras
    def build_model():
        inp = keras.Input((4,), batch_size=1)
        return keras.Model(inp, keras.layers.Dense(2)(inp))
    def representative():
        for _ in range(4):
            yield {sample}
    def convert(model):
        converter = tf.lite.TFLiteConverter.from_keras_model(model)
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        {dataset}converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        return converter.convert()
"""
ARRAY = "np.random.rand(1, 4).astype(np.float32)"


def test_tfl501_tfl502_int8_calibration(tf, load):
    dataset = "converter.representative_dataset = representative\n        "
    missing, codes = load(CONVERT.format(sample=f"[{ARRAY}]", dataset=""), name="no_dataset")
    assert "TFL501" in codes
    with pytest.raises(ValueError, match="representative_dataset` must be specified"):
        missing.convert(missing.build_model())
    bare, codes = load(CONVERT.format(sample=ARRAY, dataset=dataset), name="bare")
    assert "TFL502" in codes and "TFL501" not in codes
    with pytest.raises(ValueError, match="Unsupported value from dataset"):
        bare.convert(bare.build_model())
    fixed, codes = load(CONVERT.format(sample=f"[{ARRAY}]", dataset=dataset), name="fixed")
    assert not {"TFL501", "TFL502"} & set(codes)
    assert "QUANTIZE" in ops_of(fixed.convert(fixed.build_model()))


INVERSE = """
    import tensorflow as tf
    @tf.function(input_signature=[tf.TensorSpec([1, 3, 3])])
    def f(x):
        return tf.linalg.inv(x)
    def convert(converter):
        {setting}
"""


def test_tfl503_allow_custom_ops_converts_but_cannot_run(tf, load):
    from ai_edge_litert.interpreter import Interpreter

    module, codes = load(INVERSE.format(setting="converter.allow_custom_ops = True"), name="custom")
    assert "TFL503" in codes
    flatbuffer = convert(tf, module.f, allow_custom_ops=True)
    assert ops_of(flatbuffer) == {"MatrixInverse"}
    with pytest.raises(RuntimeError, match="unresolved custom op: MatrixInverse"):
        Interpreter(model_content=flatbuffer).allocate_tensors()


def test_tfl504_select_ops_need_the_flex_delegate(tf, load):
    from ai_edge_litert.interpreter import Interpreter

    module, codes = load(INVERSE.format(
        setting="converter.target_spec.supported_ops = [tf.lite.OpsSet.SELECT_TF_OPS]"), name="select")
    assert "TFL504" in codes
    flatbuffer = convert(tf, module.f, "select")
    assert ops_of(flatbuffer) == {"FlexMatrixInverse"}
    with pytest.raises(RuntimeError, match="Flex delegate"):
        Interpreter(model_content=flatbuffer).allocate_tensors()


def test_tfl505_keras_export_enables_select_ops(tf, load, tmp_path):
    module, codes = load("""
        import tensorflow as tf, keras
        class Inverse(keras.layers.Layer):
            def call(self, x):
                return tf.linalg.inv(x)
        def build_model():
            inp = keras.Input((3, 3))
            return keras.Model(inp, Inverse()(inp))
        def export(model, path):
            model.export(path, format="litert")
        def export_builtins(model, path):
            model.export(path, format="litert", target_spec={"supported_ops": [tf.lite.OpsSet.TFLITE_BUILTINS]})
    """, target="builtins", name="export")
    assert codes.count("TFL505") == 1
    path = str(tmp_path / "m.tflite")
    module.export(module.build_model(), path)
    assert ops_of(Path(path).read_bytes()) == {"FlexMatrixInverse"}
    with pytest.raises(Exception, match="'tf.MatrixInverse' op is neither a custom op nor a flex op"):
        module.export_builtins(module.build_model(), path)


def test_tfl506_from_keras_model_loses_source_lines(tf, load):
    module, codes = load("""
        import tensorflow as tf, keras
        class Inverse(keras.layers.Layer):
            def call(self, x):
                return tf.linalg.inv(x)
        def build_model():
            inp = keras.Input((3, 3))
            return keras.Model(inp, Inverse()(inp))
        def converter(model):
            return tf.lite.TFLiteConverter.from_keras_model(model)
    """, name="locations")
    assert "TFL506" in codes
    model = module.build_model()

    def files(error):
        return {c.source.filename for e in error.errors for c in e.location.call if c.source.filename}

    assert files(convert(tf, model)) == set()
    fn = tf.function(lambda x: model(x)).get_concrete_function(tf.TensorSpec([None, 3, 3]))
    converter = tf.lite.TFLiteConverter.from_concrete_functions([fn], model)
    with pytest.raises(Exception) as caught:
        converter.convert()
    assert module.__file__ in files(caught.value)


def test_tfl507_tf_lite_interpreter_is_deprecated(tf, load):
    module, codes = load("""
        import tensorflow as tf, keras
        def build_model():
            inp = keras.Input((4,), batch_size=1)
            return keras.Model(inp, keras.layers.Dense(2)(inp))
        def interpreter(flatbuffer):
            return tf.lite.Interpreter(model_content=flatbuffer)
    """, name="interp")
    assert "TFL507" in codes
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module.interpreter(convert(tf, module.build_model()))
    assert any("tf.lite.Interpreter is deprecated" in str(w.message) for w in caught)


# -- dynamic dimensions judged across files (tflint/project/settle.py) ----------------------

LAYERS = """
    import keras
    from keras import ops


    class Masked(keras.layers.Layer):
        def call(self, scores, attention_mask):
            mask = ops.cast(attention_mask, "float32")
            return ops.expand_dims(scores, 1) + mask[:, None, :, :]


    class Shifted(keras.layers.Layer):
        def call(self, scores):
            return ops.roll(scores, 1, axis=1)
"""
MODELS = """
    import keras
    from layers_{name} import Masked, Shifted


    def masked_model():
        scores = keras.Input(shape={shape}{batch})
        mask = keras.Input(shape={shape}{batch})
        return keras.Model([scores, mask], Masked()(scores, mask))


    def shifted_model():
        scores = keras.Input(shape={shape}{batch})
        return keras.Model(scores, Shifted()(scores))
"""


@pytest.mark.parametrize("name, shape, batch, fails", [
    ("dynamic", "(None, None)", "", {"masked": "StridedSlice", "shifted": "Roll"}),
    ("batch", "(6, 6)", "", {"shifted": "Roll"}),
    ("static", "(6, 6)", ", batch_size=1", {}),
])
def test_a_layer_judged_by_the_inputs_of_the_model_in_another_file(tf, tmp_path, monkeypatch, capsys,
                                                                   name, shape, batch, fails):
    import json

    from tflint.frontends.cli import main

    (tmp_path / f"layers_{name}.py").write_text(textwrap.dedent(LAYERS))
    (tmp_path / f"models_{name}.py").write_text(textwrap.dedent(MODELS.format(name=name, shape=shape, batch=batch)))
    main([str(tmp_path), "--format", "json", "--no-cache", "--exit-zero"])
    errors = {d["op"]: d["line"] for d in json.loads(capsys.readouterr().out)["diagnostics"] if d["severity"] == "error"}
    assert errors == {op: {"StridedSlice": 9, "Roll": 14}[op] for op in fails.values()}
    monkeypatch.syspath_prepend(str(tmp_path))
    spec = importlib.util.spec_from_file_location(f"models_{name}", tmp_path / f"models_{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for model in ("masked", "shifted"):
        outcome = convert(tf, getattr(module, f"{model}_model")())
        if model in fails:
            assert failed_ops(outcome) == {f"tf.{fails[model]}"}
        else:
            assert isinstance(outcome, bytes)
