"""Per-example normalization vectorized with keepdims reductions: converts."""
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([None, 32], tf.float32)])
def normalize(batch):
    lo = tf.reduce_min(batch, axis=1, keepdims=True)
    hi = tf.reduce_max(batch, axis=1, keepdims=True)
    return (batch - lo) / (hi - lo + 1e-6)


def build_model():
    return normalize


def log_mean(name, t):
    import tensorflow as tf
    return tf.py_function(lambda v: print(name, float(v.numpy().mean())) or 0, [t], tf.int32)
