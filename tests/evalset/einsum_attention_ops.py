"""Multi-head attention scores with keras.ops.einsum."""
import keras
from keras import ops


class HeadScores(keras.layers.Layer):
    def __init__(self, heads=2, **kwargs):
        super().__init__(**kwargs)
        self.heads = heads

    def call(self, q, k):
        q = ops.reshape(q, (-1, q.shape[1], self.heads, q.shape[2] // self.heads))
        k = ops.reshape(k, (-1, k.shape[1], self.heads, k.shape[2] // self.heads))
        return ops.softmax(ops.einsum("bqhd,bkhd->bhqk", q, k), axis=-1)


def build_model():
    q, k = keras.Input((10, 8)), keras.Input((12, 8))
    return keras.Model([q, k], HeadScores()(q, k))
