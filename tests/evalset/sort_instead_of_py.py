"""Descending sort done with tf.sort inside the graph instead of Python."""
import tensorflow as tf
import keras


class GraphSort(keras.layers.Layer):
    def call(self, scores):
        return tf.sort(scores, axis=-1, direction="DESCENDING")


def build_model():
    x = keras.Input((10,))
    s = keras.layers.Dense(10)(x)
    return keras.Model(x, GraphSort()(s))


def save(path="exported"):
    import tensorflow as tf
    module = tf.Module()
    module.serve = build_model()
    tf.saved_model.save(module, path)
