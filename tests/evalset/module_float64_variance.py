"""Anomaly score: Mahalanobis-like distance computed in float64 inside a tf.Module."""
import numpy as np
import tensorflow as tf


class AnomalyScore(tf.Module):
    def __init__(self, mean, var):
        super().__init__()
        self.mean = tf.constant(mean, tf.float64)
        self.var = tf.constant(var, tf.float64)

    @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32)])
    def __call__(self, x):
        z = (tf.cast(x, tf.float64) - self.mean) / tf.sqrt(self.var)
        return tf.cast(tf.reduce_sum(z * z, axis=-1), tf.float32)


def build_model():
    return AnomalyScore(np.zeros(4), np.ones(4))
