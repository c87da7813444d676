"""Rotary position embedding with a fixed sequence length: the angles fold to constants."""
import tensorflow as tf

SEQ = 32


def rotary_angles(length, dim):
    positions = tf.cast(tf.range(length), tf.float32)
    inv_freq = 1.0 / (10000.0 ** (tf.range(0, dim, 2, dtype=tf.float32) / dim))
    return positions[:, None] * inv_freq[None, :]


@tf.function(input_signature=[tf.TensorSpec([1, SEQ, 8], tf.float32)])
def rotate(x):
    angles = rotary_angles(SEQ, 8)
    x1, x2 = tf.split(x, 2, axis=-1)
    cos, sin = tf.cos(angles), tf.sin(angles)
    return tf.concat([x1 * cos - x2 * sin, x1 * sin + x2 * cos], axis=-1)


def build_model():
    return rotate
