"""Feed-forward block with GELU written as tf.nn.gelu computes it, through erfc (the converter fuses it)."""
import math
import tensorflow as tf
import keras


class FeedForward(keras.layers.Layer):
    def __init__(self, hidden, out, **kwargs):
        super().__init__(**kwargs)
        self.up = keras.layers.Dense(hidden)
        self.down = keras.layers.Dense(out)

    def call(self, x):
        h = self.up(x)
        h = 0.5 * h * tf.math.erfc(-h / math.sqrt(2.0))
        return self.down(h)


def build_model():
    x = keras.Input((None, 16))
    return keras.Model(x, FeedForward(64, 16)(x))
