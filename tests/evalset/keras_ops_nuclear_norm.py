"""Nuclear-norm score of small input matrices with keras.ops.norm(ord='nuc')."""
import keras
from keras import ops


class NuclearScore(keras.layers.Layer):
    def call(self, m):
        return ops.norm(m, ord="nuc", axis=(-2, -1))


def build_model():
    m = keras.Input((4, 4))
    return keras.Model(m, NuclearScore()(m))


def mean_abs_error(expected, predicted):
    import numpy as np
    expected = np.asarray(expected, dtype=np.float64)
    return float(np.mean(np.abs(expected - np.asarray(predicted, dtype=np.float64))))
