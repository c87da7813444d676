"""Angle between predicted and reference directions via tf.acos."""
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32), tf.TensorSpec([None, 3], tf.float32)])
def angle_between(a, b):
    cos = tf.reduce_sum(tf.math.l2_normalize(a, -1) * tf.math.l2_normalize(b, -1), -1)
    return tf.acos(tf.clip_by_value(cos, -1.0, 1.0))


def build_model():
    return angle_between


def mean_abs_error(expected, predicted):
    import numpy as np
    expected = np.asarray(expected, dtype=np.float64)
    return float(np.mean(np.abs(expected - np.asarray(predicted, dtype=np.float64))))
