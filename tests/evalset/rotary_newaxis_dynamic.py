"""Rotary position embedding over a sequence of unknown length, using x[:, None]."""
import tensorflow as tf


def rotary_angles(length, dim):
    positions = tf.cast(tf.range(length), tf.float32)
    inv_freq = 1.0 / (10000.0 ** (tf.range(0, dim, 2, dtype=tf.float32) / dim))
    return positions[:, None] * inv_freq[None, :]


def apply_rotary(x):
    angles = rotary_angles(tf.shape(x)[1], x.shape[-1])
    x1, x2 = tf.split(x, 2, axis=-1)
    cos, sin = tf.cos(angles), tf.sin(angles)
    return tf.concat([x1 * cos - x2 * sin, x1 * sin + x2 * cos], axis=-1)


@tf.function(input_signature=[tf.TensorSpec([None, None, 8], tf.float32)])
def rotate(x):
    return apply_rotary(x)


def build_model():
    return rotate
