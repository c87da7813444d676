"""Every composite spelling of tools/probe_fusions.py, converted again: a fused spelling's op is gone
(Erf/Erfc: the model converts with builtins; POW/SQUARE: no op is kept in float32 under int8), an
unfused one keeps it. tests/unit/test_fusion.py checks tflint's recognition against the same table."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))

from probe_fusions import API_OPS, OPS, SPELLINGS, measure, namespace  # noqa: E402  (tools/ is not a package)

pytestmark = pytest.mark.tensorflow


@pytest.fixture(scope="module")
def names():
    return namespace()


@pytest.mark.parametrize("spelling", SPELLINGS, ids=[s.form for s in SPELLINGS])
def test_the_converter_fuses_exactly_the_fused_spellings(names, spelling):
    result = measure(spelling, names)
    assert result["stays"] is not spelling.fused
    op = API_OPS[spelling.api]
    if OPS[op] is None:  # Erf, Erfc: the failure itself
        assert result["builtins"]["failing"] == ([] if spelling.fused else [op])
    else:  # POW, SQUARE: the int8 verdict
        assert (OPS[op] in result["int8"]["failing"]) is not spelling.fused


def test_the_rewrites_match_float32_only():
    """`pow(x, 2)` becomes MUL on float32 (above); on int64 Pow stays and fails (TFL102 reports it)."""
    import tensorflow as tf

    from tests.support.converter import convert_function

    assert convert_function(lambda x: tf.pow(x, 2), [tf.TensorSpec([None, 8], tf.int64)]).failing_ops == {"Pow"}
