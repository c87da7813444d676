"""Piecewise-linear calibration: finds the segment with tf.searchsorted(side='right')."""
import tensorflow as tf
import keras


class Calibrator(keras.layers.Layer):
    def build(self, input_shape):
        self.knots = self.add_weight(shape=(1, 8), initializer="zeros")

    def call(self, x):
        knots = tf.tile(self.knots, [tf.shape(x)[0], 1])
        idx = tf.searchsorted(knots, x, side="right")
        return tf.cast(idx, tf.float32) / 8.0


def build_model():
    x = keras.Input((4,))
    return keras.Model(x, Calibrator()(x))
