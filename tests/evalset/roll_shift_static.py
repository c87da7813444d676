"""Cyclic shift with tf.roll where every dimension is static (batch 1)."""
import tensorflow as tf
import keras


class CyclicShift(keras.layers.Layer):
    def call(self, x):
        return tf.roll(x, shift=[-2, -2], axis=[1, 2])


def build_model():
    x = keras.Input((8, 8, 4), batch_size=1)
    y = CyclicShift()(x)
    return keras.Model(x, keras.layers.Conv2D(4, 3, padding="same")(y))


def save(path="exported"):
    import tensorflow as tf
    module = tf.Module()
    module.serve = build_model()
    tf.saved_model.save(module, path)
