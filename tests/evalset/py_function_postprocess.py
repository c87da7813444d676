"""Postprocessing delegated to Python through tf.py_function."""
import numpy as np
import tensorflow as tf
import keras


def _nms_numpy(scores):
    return np.sort(scores.numpy(), axis=-1)[:, ::-1].copy()


class PythonSort(keras.layers.Layer):
    def call(self, scores):
        out = tf.py_function(_nms_numpy, [scores], tf.float32)
        out.set_shape(scores.shape)
        return out


def build_model():
    x = keras.Input((10,))
    s = keras.layers.Dense(10)(x)
    return keras.Model(x, PythonSort()(s))
