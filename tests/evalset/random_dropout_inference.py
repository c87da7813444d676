"""MC-dropout: random noise kept at inference via tf.random.uniform."""
import tensorflow as tf
import keras


class AlwaysDropout(keras.layers.Layer):
    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, x):
        keep = tf.cast(tf.random.uniform(tf.shape(x)) > self.rate, x.dtype)
        return x * keep / (1.0 - self.rate)


def build_model():
    x = keras.Input((16,))
    h = keras.layers.Dense(16, activation="relu")(x)
    return keras.Model(x, keras.layers.Dense(1)(AlwaysDropout(0.3)(h)))
