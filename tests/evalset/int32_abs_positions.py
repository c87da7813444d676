"""Relative-position distances with abs on int32 values."""
import tensorflow as tf
import keras


class RelativeDistance(keras.layers.Layer):
    def call(self, ids):
        rel = tf.abs(ids - 8)
        return tf.cast(tf.minimum(rel, 7), tf.float32)


def build_model():
    ids = keras.Input((16,), dtype="int32")
    d = RelativeDistance()(ids)
    return keras.Model(ids, keras.layers.Dense(2)(d))
