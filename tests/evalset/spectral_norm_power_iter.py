"""Spectral norm estimated by power iteration: plain matmuls, converts."""
import tensorflow as tf
import keras


class SpectralDense(keras.layers.Layer):
    def __init__(self, units, iters=2, **kwargs):
        super().__init__(**kwargs)
        self.units, self.iters = units, iters

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units))
        self.u = self.add_weight(shape=(1, self.units), trainable=False, initializer="ones")

    def call(self, x):
        u = self.u
        for _ in range(self.iters):
            v = tf.math.l2_normalize(tf.matmul(u, self.w, transpose_b=True))
            u = tf.math.l2_normalize(tf.matmul(v, self.w))
        sigma = tf.reduce_sum(tf.matmul(v, self.w) * u)
        return tf.matmul(x, self.w / sigma)


def build_model():
    x = keras.Input((12,))
    h = SpectralDense(8)(x)
    return keras.Model(x, keras.layers.Dense(1)(h))
