"""Re-probe a fixed, spread sample of the op knowledge with the installed TensorFlow and check
that the file still says what the converter does: a new TensorFlow that changes a verdict
fails here, and `python tools/probe_ops.py --fresh` regenerates the file."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tflint import knowledge

pytestmark = pytest.mark.tensorflow

TOOLS = Path(__file__).resolve().parents[2] / "tools"
# Across namespaces and verdicts (converts everywhere, needs Select TF ops, fails even with
# them, float under int8, argument conditions, no op, Keras layers): test_sample_is_spread checks.
SAMPLE = (
    "tf.math.add", "tf.nn.relu", "tf.nn.conv2d", "tf.nn.max_pool2d", "tf.image.resize", "tf.einsum",
    "tf.reshape", "tf.concat", "tf.linalg.matmul", "tf.signal.frame", "tf.bitwise.bitwise_and",
    "keras.ops.add", "keras.layers.Dense", "keras.layers.Conv2D", "tf.sparse.to_dense", "tf.pad",
    "tf.math.sin", "tf.math.cumsum", "tf.math.add_n", "tf.cast",
    "tf.linalg.inv", "tf.strings.length", "tf.math.erf", "tf.random.stateless_normal", "tf.sparse.reduce_sum",
    "tf.strings.split", "tf.linalg.det", "keras.layers.LSTM", "tf.signal.stft", "tf.math.bincount",
    "tf.image.rgb_to_hsv", "keras.ops.erf",
    "tf.nn.fractional_max_pool", "tf.linalg.svd", "tf.py_function", "tf.numpy_function",
    "tf.switch_case", "tf.image.crop_and_resize",
    "tf.identity", "tf.no_op",
    "tf.ragged.range", "tf.random.uniform", "keras.ops.image.resize", "keras.layers.Resizing",
    "tf.roll", "tf.ensure_shape",  # convert with static shapes, fail with a None batch (TFL202)
    "keras.ops.where", "keras.ops.argmax", "tf.math.abs",  # a call form, input dtypes decide
    # per-API layouts and layer cases: channels divisible by the block, encoded PNG bytes,
    # SparseTensor arguments, a Python pad_width, a cell inside keras.layers.RNN
    "tf.nn.depth_to_space", "tf.io.decode_png", "tf.sparse.maximum", "keras.ops.pad", "keras.layers.GRUCell",
)


@pytest.fixture(scope="module")
def prober():
    sys.path.insert(0, str(TOOLS))
    from probes import catalog, probe
    apis = {a.name: a for a in catalog.tensorflow_apis() + catalog.keras_apis()}
    return apis, probe


def _summary(verdict: knowledge.Verdict) -> tuple:
    return verdict.ops, tuple(verdict.status[t] for t in (*knowledge.CONVERTER_TARGETS, "dynamic"))


def _probed(record: dict) -> tuple:
    statuses = tuple(record[t]["status"] for t in knowledge.CONVERTER_TARGETS)
    return tuple(record["ops"]), (*statuses, record.get("dynamic", {}).get("status", knowledge.UNKNOWN))


def test_sample_is_spread():
    known = knowledge.load()
    namespaces = {known.entry(api).api.rsplit(".", 1)[0] for api in SAMPLE}
    statuses = {known.entry(api).base.status["builtins"] + "/" + known.entry(api).base.status["select"]
                for api in SAMPLE}
    assert len(SAMPLE) >= 40 and len(namespaces) >= 10
    assert {"converts/converts", "fails/converts", "fails/fails"} <= statuses
    assert any(known.entry(api).base.status["int8"] == knowledge.FLOAT for api in SAMPLE)


@pytest.mark.parametrize("api", SAMPLE)
def test_file_agrees_with_the_converter(prober, api):
    apis, probe = prober
    entry = knowledge.load().entry(api)
    record = probe.probe(apis[entry.api])
    assert record["status"] != "unprobed", record.get("reason")
    assert _probed(record) == _summary(entry.base)
    for param, values in record.get("when", {}).items():
        for value, result in values.items():
            assert _probed(result) == _summary(entry.verdict({param: value})), f"{param}={value}"
    for names, result in record.get("given", {}).items():
        assert _probed(result) == _summary(entry.verdict({}, given=names.split(","))), f"{names} given"
    for dtype, result in record.get("dtype", {}).items():
        verdict = entry.verdict({}, dtype=dtype)
        assert (result["builtins"]["status"], result["select"]["status"]) == (verdict.on("builtins"), verdict.on("select"))
