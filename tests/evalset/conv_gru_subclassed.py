"""Subclassed video model: per-frame CNN then a GRU, batch left open."""
import keras
from keras import layers


class FrameEncoder(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.cnn = layers.TimeDistributed(layers.Conv2D(4, 3, strides=2, activation="relu"))
        self.pool = layers.TimeDistributed(layers.GlobalAveragePooling2D())
        self.gru = layers.GRU(8)
        self.out = layers.Dense(3)

    def call(self, clips):
        return self.out(self.gru(self.pool(self.cnn(clips))))


def build_model():
    clips = keras.Input((5, 16, 16, 1))
    return keras.Model(clips, FrameEncoder()(clips))
