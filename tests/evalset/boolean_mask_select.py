"""Keeps the scores above a threshold with tf.boolean_mask."""
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
def confident(scores):
    keep = tf.boolean_mask(scores, scores > 0.5)
    return tf.reduce_sum(keep)


def build_model():
    return confident


def weighted_sq_error(y_true, y_pred, weights):
    import tensorflow as tf
    err = tf.cast(y_true, tf.float64) - tf.cast(y_pred, tf.float64)
    return tf.reduce_sum(tf.cast(weights, tf.float64) * err * err)
