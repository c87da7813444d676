"""Reach: findings in helpers carry the call chain from the model; pipeline-only code is dropped;
ops on weights and constants are not reported (folding)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tflint.frontends.cli import main
from tflint.config import Settings
from tflint.engine import Source, lint_file, lint_text

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CHAIN = FIXTURES / "deep_helper_chain.py"


def lint(code: str, target: str = "builtins"):
    return lint_text("m.py", Source(textwrap.dedent(code), "utf-8"), Settings(target=target)).diagnostics


def _find(needle: str, line_of: str | None = None) -> tuple[int, int]:
    """1-based line and column of `needle` in the chain fixture (on the line holding `line_of`)."""
    for i, text in enumerate(CHAIN.read_text().splitlines(), 1):
        if (line_of or needle) in text:
            return i, text.index(needle) + 1
    raise AssertionError(needle)


@pytest.fixture(scope="module")
def chain():
    """Expected (line, col, message) of the related locations of the deep_helper_chain finding."""
    return [
        (*_find("Decorrelate()"), "build_model() uses custom layer Decorrelate"),
        (*_find("Decorrelate", "class Decorrelate"), "in custom layer Decorrelate (Keras calls its call())"),
        (*_find("_decorrelate(inputs)"), "Decorrelate.call() calls _decorrelate()"),
        (*_find("_whitening_matrix(covariance))"), "_decorrelate() calls _whitening_matrix()"),
    ]


def test_deep_chain_text(chain, capsys):
    assert main([str(CHAIN)]) == 1
    lines = capsys.readouterr().out.splitlines()
    line, col = _find("tf.linalg.inv(covariance)")
    assert lines[0].startswith(f"{CHAIN}:{line}:{col}: TFL102 tf.linalg.inv needs Select TF ops")
    assert lines[1:] == [f"    {CHAIN}:{line}:{col}: note: {msg}" for line, col, msg in chain]


def test_deep_chain_json(chain, capsys):
    main([str(CHAIN), "--format", "json"])
    [diag] = json.loads(capsys.readouterr().out)["diagnostics"]
    assert (diag["code"], diag["line"], diag["col"]) == ("TFL102", *_find("tf.linalg.inv(covariance)"))
    assert [(r["line"], r["col"], r["message"]) for r in diag["related"]] == chain
    assert all(r["path"] == str(CHAIN) for r in diag["related"])


def test_deep_chain_sarif(chain, capsys):
    main([str(CHAIN), "--format", "sarif"])
    [result] = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    related = result["relatedLocations"]
    regions = [r["physicalLocation"]["region"] for r in related]
    assert [(g["startLine"], g["startColumn"], r["message"]["text"]) for g, r in zip(regions, related)] == chain
    assert [r["id"] for r in related] == list(range(len(chain)))


def test_data_pipeline_beside_model_reports_nothing():
    assert lint_file(str(FIXTURES / "data_pipeline_strings.py"), Settings()).diagnostics == []


def test_same_helpers_without_a_model_still_report():
    """A library of helpers (no model in the file): reach keeps its findings."""
    source = (FIXTURES / "data_pipeline_strings.py").read_text()
    library = source[: source.index("def make_dataset")]
    diags = lint_text("lib.py", Source(library, "utf-8"), Settings()).diagnostics
    assert [(d.code, d.span.line) for d in diags] == [("TFL102", 11), ("TFL102", 15), ("TFL102", 16)]
    assert diags[0].op == "StringLength" and all(d.related == () for d in diags)


def test_pipeline_function_also_used_by_model_is_reported():
    diags = lint("""
        import keras, tensorflow as tf
        def clean(t):
            return tf.strings.length(t)
        def build_model():
            inp = keras.Input((1,), dtype="string")
            return keras.Model(inp, keras.layers.Lambda(clean)(inp))
        ds = tf.data.Dataset.from_tensor_slices(["a"]).map(clean)
    """)
    assert [d.code for d in diags] == ["TFL102"]
    assert [r.message for r in diags[0].related] == ["build_model() passes clean() to keras.layers.Lambda()"]


def test_unreached_helper_dropped_when_file_shows_the_model():
    diags = lint("""
        import keras, tensorflow as tf
        def debug_stats(x):
            return tf.linalg.inv(x)
        def build_model():
            inp = keras.Input((3, 3))
            return keras.Model(inp, keras.layers.Dense(2)(inp))
    """)
    assert diags == []


def test_tf_function_handed_only_to_tf_data_is_data_code():
    diags = lint("""
        import tensorflow as tf
        @tf.function
        def parse(line):
            return tf.strings.length(line)
        ds = tf.data.TextLineDataset("f.txt").map(parse)
        @tf.function(input_signature=[tf.TensorSpec([None, 3])])
        def serve(x):
            return x * 2.0
    """)
    assert diags == []


def test_self_method_nested_function_and_model_subclass():
    diags = lint("""
        import tensorflow as tf
        from tensorflow import keras
        class Net(keras.Model):
            def call(self, x):
                return self._head(x)
            def _head(self, x):
                def body(t):
                    return tf.nn.fractional_max_pool(t, [1.0, 1.4, 1.4, 1.0])[0]
                return tf.map_fn(body, x)
    """)
    assert [d.code for d in diags] == ["TFL101"]
    assert [r.message for r in diags[0].related] == [
        "in custom model Net (Keras calls its call())", "Net.call() calls Net._head()",
        "Net._head() passes body() to tf.map_fn()"]


def test_module_level_findings_keep_no_chain():
    diags = lint("import tensorflow as tf\ny = tf.linalg.inv(x)\n")
    assert [(d.code, d.related) for d in diags] == [("TFL102", ())]


@pytest.mark.parametrize("expr", [
    "tf.linalg.inv(self.kernel)", "tf.linalg.inv(self.w)", "tf.linalg.inv(w2)", "tf.linalg.inv(self.basis)",
    "tf.linalg.inv(BASIS + 1.0)", "tf.linalg.inv(GLOBAL_VAR)", "tf.linalg.inv(tf.eye(3) * 2.0)",
])
def test_ops_on_weights_and_constants_are_folded(expr):
    assert lint(_layer(expr)) == []


@pytest.mark.parametrize("expr", [
    "tf.linalg.inv(x)", "tf.linalg.inv(y)", "tf.linalg.inv(tf.random.normal([3, 3]))",
    "tf.linalg.inv(self.kernel + x)", "tf.linalg.inv(self.running)",
])
def test_ops_on_inputs_are_reported(expr):
    assert [d.code for d in lint(_layer(expr))] == ["TFL102"]


def _layer(expr: str) -> str:
    return f"""
import numpy as np
import tensorflow as tf
import keras

BASIS = np.eye(3, dtype=np.float32)
GLOBAL_VAR = tf.Variable(tf.eye(3))

class Whiten(keras.layers.Layer):
    def __init__(self, basis, **kwargs):
        super().__init__(**kwargs)
        self.basis = basis

    def build(self, shape):
        self.w = self.add_weight(shape=(3, 3), initializer="identity")
        self.kernel = self.add_weight(shape=(3, 3), initializer="identity")
        self.running = tf.Variable(tf.eye(3))

    def call(self, x):
        self.running = x
        w2 = tf.transpose(self.w) * 2.0
        y = x
        return {expr}
"""


def test_keras_metric_methods_are_not_model_code_even_in_a_library_file():
    """tf-models-official's iou.py has no model: its metric's result() is still never converted."""
    source = (FIXTURES / "regress_metric_state.py").read_text()
    library = source[: source.index("def build_model")]
    assert lint_text("iou.py", Source(library, "utf-8"), Settings()).diagnostics == []
    helper = library.replace("class PerClassIoU(tf.keras.metrics.MeanIoU):\n    def result(self):",
                             "class Helper:\n    def result(self):")
    assert [d.code for d in lint_text("h.py", Source(helper, "utf-8"), Settings()).diagnostics] == ["TFL102"]


TRAINING_CODE = """
    import tensorflow as tf
    import keras


    class Orthogonal(keras.regularizers.Regularizer):
        def __call__(self, w):
            return tf.reduce_sum(tf.linalg.svd(w, compute_uv=False))


    def build_model():
        x = keras.Input((4,))
        return keras.Model(x, keras.layers.Dense(4, kernel_regularizer=Orthogonal())(x))


    @tf.function
    def {step}(model, x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.linalg.inv(model(x)))
        return tape.gradient(loss, model.trainable_variables)
"""


@pytest.mark.parametrize("step", ["train_step", "update"])
def test_regularizers_and_training_steps_are_not_model_code(step):
    """A regularizer's loss term and a tf.function that records gradients never reach a converted model."""
    assert lint(TRAINING_CODE.format(step=step)) == []
    as_a_layer = TRAINING_CODE.format(step=step).replace("keras.regularizers.Regularizer", "keras.layers.Layer")
    assert [d.code for d in lint(as_a_layer)] == ["TFL101"]


def test_a_constructor_is_construction_time_but_what_it_builds_runs_in_the_graph():
    """Ops a layer's __init__ runs become constants; the layers it builds and the functions it keeps
    for later (a lambda) run in the graph; a functional model built in __init__ is graph code."""
    found = lint("""
        import tensorflow as tf
        import keras


        def projection(n):
            return tf.linalg.qr(tf.random.normal((n, n)))[0]


        class Project(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.proj = projection(4)
                self.act = lambda x: tf.linalg.qr(x)[0]
                self.rnn = keras.layers.LSTM(4)

            def call(self, x):
                return self.rnn(self.act(tf.matmul(x, self.proj)))


        class Backbone(keras.Model):
            def __init__(self):
                x = keras.Input((4, 4))
                super().__init__(x, tf.linalg.qr(x)[0])
    """)
    # the LSTM built in __init__ is reported where call() calls it (the line the converter names)
    assert sorted((d.span.line, d.code) for d in found) == [(14, "TFL102"), (18, "TFL301"), (24, "TFL102")]
