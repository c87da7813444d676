"""Histogram of predicted classes as a sum of one-hot rows: converts."""
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([None], tf.int32)])
def class_histogram(pred):
    return tf.reduce_sum(tf.one_hot(pred, 10, dtype=tf.int32), axis=0)


def build_model():
    return class_histogram


def weighted_sq_error(y_true, y_pred, weights):
    import tensorflow as tf
    err = tf.cast(y_true, tf.float64) - tf.cast(y_pred, tf.float64)
    return tf.reduce_sum(tf.cast(weights, tf.float64) * err * err)
