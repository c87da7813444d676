"""tflint's lean resolver agrees with libcst's QualifiedNameProvider on import forms, aliases, shadowing."""

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, QualifiedNameProvider, QualifiedNameSource

from tflint.analysis.entry_points import canonical
from tflint.analysis.names import resolve
from tflint.walk import walk

# Each case: source, and the canonical name tflint must give the call marked `target(`.
CASES = [
    ("import tensorflow as tf\ntf.nn.relu(x)", "tf.nn.relu"),
    ("import tensorflow as tf2\ntf2.nn.relu(x)", "tf.nn.relu"),
    ("import tensorflow\ntensorflow.nn.relu(x)", "tf.nn.relu"),
    ("import tensorflow.compat.v1 as tf\ntf.nn.relu(x)", "tf.compat.v1.nn.relu"),
    ("from tensorflow import nn\nnn.relu(x)", "tf.nn.relu"),
    ("from tensorflow.nn import fractional_max_pool as fmp\nfmp(x)", "tf.nn.fractional_max_pool"),
    ("from tensorflow import keras\nkeras.layers.Dense(1)", "keras.layers.Dense"),
    ("import keras\nkeras.layers.LSTM(4)", "keras.layers.LSTM"),
    ("from tensorflow.keras import layers\nlayers.LSTM(4)", "keras.layers.LSTM"),
    ("import tensorflow.keras as k\nk.layers.GRU(2)", "keras.layers.GRU"),
    ("import tensorflow as tf\ndef f():\n    return tf.nn.relu(x)", "tf.nn.relu"),
    ("import tensorflow as tf\nclass M:\n    def call(self):\n        return tf.nn.relu(x)", "tf.nn.relu"),
    ("def f():\n    import tensorflow as tf\n    return tf.nn.relu(x)", "tf.nn.relu"),
    ("import tensorflow as tf\n[tf.nn.relu(v) for v in xs]", "tf.nn.relu"),
    # shadowing: a local binding of the same name is not TensorFlow
    ("import tensorflow as tf\ndef f(tf):\n    return tf.nn.relu(x)", None),
    ("import tensorflow as tf\ndef f():\n    tf = other\n    return tf.nn.relu(x)", None),
    ("import tensorflow as tf\ntf = wrapper(tf)\ntf.nn.relu(x)", None),
    ("from tensorflow import nn\nfor nn in mods:\n    nn.relu(x)", None),
    ("import tensorflow as tf\ng = lambda tf: tf.nn.relu(x)", None),
    ("import tensorflow as tf\n[tf.nn.relu(v) for tf in mods]", None),
    ("from tensorflow.nn import relu\ndef relu(x):\n    return x\nrelu(x)", None),
    ("import numpy as tf\ntf.nn.relu(x)", "numpy.nn.relu"),
    ("tf.nn.relu(x)", None),
    ("from . import tf\ntf.nn.relu(x)", None),
    ("from keras.src import ops\nops.erf(x)", "keras.ops.erf"),
    ("from keras.src.layers import Dense\nDense(1)", "keras.layers.Dense"),
]
# Aliases made by assignment, which libcst's provider does not follow.
ALIAS_CASES = [
    ("import tensorflow as tf\ntf1 = tf.compat.v1\ntf1.matrix_inverse(x)", "tf.compat.v1.matrix_inverse"),
    ("import tensorflow as tf\nrelu = tf.nn.relu\ndef f(x):\n    return relu(x)", "tf.nn.relu"),
    ("import tensorflow as tf\nv1 = tf.compat.v1\nimg = v1.image\nimg.resize_bicubic(x)", "tf.compat.v1.image.resize_bicubic"),
    ("import tensorflow as tf\nf = tf.nn.relu\nf = other\nf(x)", None),  # bound twice: unknown
    ("import tensorflow as tf\ndef g(tf):\n    f = tf.nn.relu\n    return f(x)", None),  # a parameter
    ("a = a.b\na(x)", None),  # a cycle
]


class _LastCallNames(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (QualifiedNameProvider,)

    def __init__(self):
        super().__init__()
        self.names = set()

    def visit_Call(self, node):
        self.names = set(self.get_metadata(QualifiedNameProvider, node.func, set()))


@pytest.mark.parametrize("source,want", CASES + ALIAS_CASES,
                         ids=[c[0].replace("\n", "; ")[:60] for c in CASES + ALIAS_CASES])
def test_resolver(source, want):
    module = cst.parse_module(source)
    walked = walk(module, (cst.Call,))
    call = walked.wanted[-1]
    assert resolve(call.func, walked.scope_of[call]) == want


@pytest.mark.parametrize("source,want", CASES, ids=[c[0].replace("\n", "; ")[:60] for c in CASES])
def test_agrees_with_libcst_qualified_name_provider(source, want):
    visitor = _LastCallNames()
    MetadataWrapper(cst.parse_module(source)).visit(visitor)
    found = visitor.names
    # a relative import (`.tf`) names a module of the user's package, never TensorFlow
    imported = {canonical(q.name) for q in found
                if q.source == QualifiedNameSource.IMPORT and not q.name.startswith(".")}
    if want is None:
        # libcst sees no import, or sees the import among other candidates (shadowed / ambiguous)
        assert not imported or len(found) > len(imported)
    else:
        assert found == {q for q in found if q.source == QualifiedNameSource.IMPORT}
        assert imported == {want}
