"""VAE sampling layer drawing noise with keras.random.normal."""
import keras
from keras import ops


class Sampling(keras.layers.Layer):
    def call(self, mean, log_var):
        eps = keras.random.normal(ops.shape(mean))
        return mean + ops.exp(0.5 * log_var) * eps


def build_model():
    x = keras.Input((20,))
    h = keras.layers.Dense(16, activation="relu")(x)
    z = Sampling()(keras.layers.Dense(4)(h), keras.layers.Dense(4)(h))
    return keras.Model(x, keras.layers.Dense(20)(z))


def kl_loss(mean, log_var):
    return -0.5 * ops.mean(1 + log_var - ops.square(mean) - ops.exp(log_var))
