"""A module-level tf.function whose failing op sits in a helper it calls."""
import tensorflow as tf


def smooth(x):
    return tf.math.erf(x) * 2.0


@tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32)])
def serve(x):
    y = x + 1.0
    return smooth(y)
