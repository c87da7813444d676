"""Relative attention bias: pairwise position differences via None-indexing, open length."""
import keras
from keras import ops


class RelativeBias(keras.layers.Layer):
    def call(self, scores):
        n = ops.shape(scores)[-1]
        pos = ops.arange(n)
        rel = ops.cast(pos[None, :] - pos[:, None], "float32")
        return scores - 0.1 * ops.abs(rel)


def build_model():
    s = keras.Input((None, None))
    return keras.Model(s, keras.layers.Softmax()(RelativeBias()(s)))
