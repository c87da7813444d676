"""A custom encoder layer that owns a GRU; the model leaves the batch open."""
import keras
from keras import layers


class Encoder(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.proj = layers.Dense(units)
        self.gru = layers.GRU(units)

    def call(self, x):
        return self.gru(self.proj(x))


def build_model():
    x = keras.Input((15, 6))
    h = Encoder(8)(x)
    return keras.Model(x, layers.Dense(1)(h))
