"""Normalizes input matrices by their spectral norm, tf.norm(ord=2) over two axes."""
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([None, 5, 5], tf.float32)])
def normalize(m):
    n = tf.norm(m, ord=2, axis=[-2, -1], keepdims=True)
    return m / (n + 1e-6)


def build_model():
    return normalize


def weighted_sq_error(y_true, y_pred, weights):
    import tensorflow as tf
    err = tf.cast(y_true, tf.float64) - tf.cast(y_pred, tf.float64)
    return tf.reduce_sum(tf.cast(weights, tf.float64) * err * err)
