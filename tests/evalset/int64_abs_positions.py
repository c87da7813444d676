"""Relative-position buckets (T5/DeBERTa style) with abs on int64 positions."""
import tensorflow as tf
import keras


class RelativeBucket(keras.layers.Layer):
    def __init__(self, buckets=8, **kwargs):
        super().__init__(**kwargs)
        self.buckets = buckets

    def call(self, ids):
        pos = tf.range(tf.shape(ids)[1], dtype=tf.int64)
        rel = tf.abs(pos[None, :] - tf.cast(ids, tf.int64))
        return tf.cast(tf.minimum(rel, self.buckets - 1), tf.float32)


def build_model():
    ids = keras.Input((16,), dtype="int64")
    b = RelativeBucket()(ids)
    return keras.Model(ids, keras.layers.Dense(2)(b))
