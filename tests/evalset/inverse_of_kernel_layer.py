"""Invertible 1x1 mixing (Glow): the inverse of the layer's own kernel is folded."""
import tensorflow as tf
import keras


class InvertibleMix(keras.layers.Layer):
    def build(self, input_shape):
        c = input_shape[-1]
        self.kernel = self.add_weight(shape=(c, c), initializer="orthogonal")

    def call(self, x, reverse=False):
        w = tf.linalg.inv(self.kernel) if reverse else self.kernel
        return tf.einsum("...c,cd->...d", x, w)


class Decoder(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.mix = InvertibleMix()

    def call(self, x):
        return self.mix(x, reverse=True)


def build_model():
    x = keras.Input((8, 8, 4))
    return keras.Model(x, Decoder()(x))
