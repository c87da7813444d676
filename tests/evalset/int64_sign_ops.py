"""Sign of int64 offsets using keras.ops."""
import keras
from keras import ops


class OffsetDirection(keras.layers.Layer):
    def call(self, offsets):
        direction = ops.sign(offsets)
        return ops.cast(direction, "float32")


def build_model():
    offsets = keras.Input((12,), dtype="int64")
    d = OffsetDirection()(offsets)
    return keras.Model(offsets, keras.layers.Dense(1)(d))
