"""Bilinear interaction layer with tf.einsum."""
import tensorflow as tf
import keras


class Bilinear(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, shapes):
        d1, d2 = shapes[0][-1], shapes[1][-1]
        self.w = self.add_weight(shape=(self.units, d1, d2))

    def call(self, inputs):
        a, b = inputs
        return tf.einsum("bi,oij,bj->bo", a, self.w, b)


def build_model():
    a, b = keras.Input((6,)), keras.Input((4,))
    return keras.Model([a, b], Bilinear(3)([a, b]))
