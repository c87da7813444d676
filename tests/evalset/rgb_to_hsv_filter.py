"""Colour filter that works in HSV space."""
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([None, 64, 64, 3], tf.float32)])
def boost_saturation(rgb):
    hsv = tf.image.rgb_to_hsv(rgb)
    h, s, v = tf.unstack(hsv, axis=-1)
    s = tf.minimum(s * 1.5, 1.0)
    return tf.image.hsv_to_rgb(tf.stack([h, s, v], axis=-1))


def build_model():
    return boost_saturation


def log_mean(name, t):
    import tensorflow as tf
    return tf.py_function(lambda v: print(name, float(v.numpy().mean())) or 0, [t], tf.int32)
