"""The evaluation set's labels stay true to the converter: a sample relabelled now matches them."""

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
EVALSET = ROOT / "tests" / "evalset"

# Failing and converting files, by frame, by layer and through from_keras_model, on both targets.
SAMPLE = [
    "sr_bicubic_upsampler.py",   # Keras functional, ResizeBicubic: builtins only
    "sr_bilinear_upsampler.py",  # its converting look-alike
    "resize_area_pool.py",       # tf.function, ResizeArea: fails under both
    "inverse_of_kernel_layer.py",  # inverse of a weight: folded, converts
    "gru_sequential_dynamic.py",   # Sequential GRU, None batch: located through the layer
    "float64_input_signature.py",  # tf.Module, float64
]


@pytest.mark.tensorflow
def test_labels_match_the_converter():
    import evalset_label  # noqa: E402 (tools/ is put on the path above)

    labels = json.loads((EVALSET / "labels.json").read_text())
    for name in SAMPLE:
        assert evalset_label.label_file(EVALSET / name) == labels[name], name
