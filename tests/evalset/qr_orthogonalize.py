"""Orthogonalizes a batch of input frames with QR."""
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([None, 4, 4], tf.float32)])
def orthogonalize(frames):
    q, _ = tf.linalg.qr(frames)
    return q


def build_model():
    return orthogonalize


def save(path="exported"):
    import tensorflow as tf
    module = tf.Module()
    module.serve = build_model()
    tf.saved_model.save(module, path)
