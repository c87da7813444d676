"""Hashing layer that buckets integer user ids."""
import keras
from keras import layers


def build_model():
    user = keras.Input((1,), dtype="int64")
    bucket = layers.Hashing(num_bins=32)(user)
    x = layers.Embedding(32, 4)(bucket)
    return keras.Model(user, layers.Dense(1)(layers.Flatten()(x)))


def weighted_sq_error(y_true, y_pred, weights):
    import tensorflow as tf
    err = tf.cast(y_true, tf.float64) - tf.cast(y_pred, tf.float64)
    return tf.reduce_sum(tf.cast(weights, tf.float64) * err * err)
