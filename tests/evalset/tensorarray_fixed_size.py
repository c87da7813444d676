"""Cumulative features over a fixed number of steps, gathered in a fixed-size TensorArray."""
import tensorflow as tf

STEPS = 5


@tf.function(input_signature=[tf.TensorSpec([1, 4], tf.float32)])
def unroll(x):
    out = tf.TensorArray(tf.float32, size=STEPS)
    h = x
    for i in tf.range(STEPS):
        h = tf.tanh(h * 0.9 + 0.1)
        out = out.write(i, h)
    return out.stack()


def build_model():
    return unroll
