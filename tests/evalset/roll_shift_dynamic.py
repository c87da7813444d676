"""Swin-style cyclic shift with tf.roll on a None-batch feature map."""
import tensorflow as tf
import keras


class CyclicShift(keras.layers.Layer):
    def __init__(self, shift, **kwargs):
        super().__init__(**kwargs)
        self.shift = shift

    def call(self, x):
        return tf.roll(x, shift=[-self.shift, -self.shift], axis=[1, 2])


def build_model():
    x = keras.Input((8, 8, 4))
    y = CyclicShift(2)(x)
    y = keras.layers.Conv2D(4, 3, padding="same")(y)
    return keras.Model(x, y)
