"""Every entry of the op knowledge in use is what the converter really does (TF-marked)."""

import pytest

from tflint import knowledge

pytestmark = pytest.mark.tensorflow
TARGETS = ("builtins", "select", "int8")


def _probes():
    """API name (with condition) -> (function, input specs)."""
    import tensorflow as tf

    image = [tf.TensorSpec([1, 8, 8, 3], tf.float32)]
    matrix = [tf.TensorSpec([4, 4], tf.float32)]
    return {
        "tf.nn.fractional_max_pool": (lambda x: tf.nn.fractional_max_pool(x, [1.0, 1.44, 1.73, 1.0])[0], image),
        "tf.linalg.svd": (lambda x: tf.linalg.svd(x)[0], matrix),
        "tf.linalg.inv": (tf.linalg.inv, matrix),
        "tf.strings.length": (tf.strings.length, [tf.TensorSpec([2], tf.string)]),
        "tf.image.resize": (lambda x: tf.image.resize(x, [16, 16]), image),
        "tf.image.resize(method='nearest')": (lambda x: tf.image.resize(x, [16, 16], method="nearest"), image),
        "tf.image.resize(method='bicubic')": (lambda x: tf.image.resize(x, [16, 16], method="bicubic"), image),
        "tf.einsum": (lambda x: tf.einsum("ij,kj->ik", x, x), matrix),
    }


def _verdicts():
    known = knowledge.load()
    out = {}
    for entry in known.apis():
        out[entry.api] = entry.base
        for values in entry.when.values():
            for verdict in values.values():
                out[f"{entry.api}({verdict.condition})"] = verdict
    return out


def test_every_entry_has_a_probe():
    assert set(_verdicts()) == set(_probes())


@pytest.mark.parametrize("name", sorted(_verdicts()))
def test_entry_matches_the_converter(name):
    from .converter import convert_function

    fn, specs = _probes()[name]
    verdict = _verdicts()[name]
    for target in TARGETS:
        outcome = convert_function(fn, specs, target)
        assert verdict.status[target] == ("converts" if outcome.converts else "fails"), (target, outcome.message)
        assert outcome.failing_ops <= set(verdict.ops)
