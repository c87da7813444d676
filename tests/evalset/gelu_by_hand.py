"""Transformer MLP with an exact GELU written by hand (the converter fuses it)."""
import math
import tensorflow as tf
import keras


def gelu(x):
    return 0.5 * x * (1.0 + tf.math.erf(x / math.sqrt(2.0)))


class Mlp(keras.layers.Layer):
    def __init__(self, hidden, out, **kwargs):
        super().__init__(**kwargs)
        self.fc1 = keras.layers.Dense(hidden)
        self.fc2 = keras.layers.Dense(out)

    def call(self, x):
        return self.fc2(gelu(self.fc1(x)))


def build_model():
    x = keras.Input((None, 16))
    return keras.Model(x, Mlp(64, 16)(x))
