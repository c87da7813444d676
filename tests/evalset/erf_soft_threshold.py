"""Smooth gating with tf.math.erf (not GELU) inside a Sequential model."""
import tensorflow as tf
import keras


class ErfGate(keras.layers.Layer):
    def call(self, x):
        return x * tf.math.erf(x)


def build_model():
    return keras.Sequential([
        keras.Input((12,)),
        keras.layers.Dense(16),
        ErfGate(),
        keras.layers.Dense(1),
    ])
