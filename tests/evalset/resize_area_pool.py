"""Downsampling by area interpolation in a tf.function."""
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([None, 96, 96, 3], tf.float32)])
def downsample(images):
    half = tf.image.resize(images, [48, 48], method=tf.image.ResizeMethod.AREA)
    return tf.reduce_mean(half, axis=-1, keepdims=True)


def build_model():
    return downsample


def mean_abs_error(expected, predicted):
    import numpy as np
    expected = np.asarray(expected, dtype=np.float64)
    return float(np.mean(np.abs(expected - np.asarray(predicted, dtype=np.float64))))
