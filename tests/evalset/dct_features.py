"""MFCC-like features: DCT-II of log energies."""
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([None, 40], tf.float32)])
def mfcc(log_mel):
    return tf.signal.dct(log_mel, type=2, norm="ortho")[:, :13]


def build_model():
    return mfcc


def weighted_sq_error(y_true, y_pred, weights):
    import tensorflow as tf
    err = tf.cast(y_true, tf.float64) - tf.cast(y_pred, tf.float64)
    return tf.reduce_sum(tf.cast(weights, tf.float64) * err * err)
