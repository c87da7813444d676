"""Causal mask from keras.ops.triu on a dynamic sequence length."""
import keras
from keras import ops


class CausalMask(keras.layers.Layer):
    def call(self, scores):
        n = ops.shape(scores)[-1]
        upper = ops.triu(ops.ones((n, n)), k=1)
        return scores - 1e9 * upper


def build_model():
    s = keras.Input((None, None))
    return keras.Model(s, keras.layers.Softmax()(CausalMask()(s)))
