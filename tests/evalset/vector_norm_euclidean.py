"""Cosine-similarity head with tf.norm(ord='euclidean') over the feature axis."""
import tensorflow as tf
import keras


class CosineHead(keras.layers.Layer):
    def __init__(self, classes, **kwargs):
        super().__init__(**kwargs)
        self.classes = classes

    def build(self, input_shape):
        self.centers = self.add_weight(shape=(self.classes, input_shape[-1]))

    def call(self, x):
        x = x / tf.norm(x, ord="euclidean", axis=-1, keepdims=True)
        c = self.centers / tf.norm(self.centers, axis=-1, keepdims=True)
        return tf.matmul(x, c, transpose_b=True)


def build_model():
    x = keras.Input((32,))
    return keras.Model(x, CosineHead(10)(keras.layers.Dense(16)(x)))
