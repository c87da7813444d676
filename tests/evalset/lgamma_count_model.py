"""Poisson log-likelihood output layer using tf.math.lgamma on input counts."""
import tensorflow as tf
import keras


class PoissonLogLik(keras.layers.Layer):
    def call(self, rate, counts):
        return counts * tf.math.log(rate + 1e-6) - rate - tf.math.lgamma(counts + 1.0)


def build_model():
    x = keras.Input((4,))
    counts = keras.Input((1,))
    rate = keras.layers.Dense(1, activation="softplus")(x)
    return keras.Model([x, counts], PoissonLogLik()(rate, counts))
