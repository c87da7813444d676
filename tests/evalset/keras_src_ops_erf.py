"""Probit link through ops.erf imported from keras.src."""
import keras
from keras.src import ops


class ProbitLink(keras.layers.Layer):
    def call(self, z):
        return 0.5 * (1.0 + ops.erf(z / 1.41421356))


def build_model():
    x = keras.Input((6,))
    z = keras.layers.Dense(1)(x)
    return keras.Model(x, ProbitLink()(z))


def bce(y_true, y_pred):
    return keras.losses.binary_crossentropy(y_true, y_pred)
