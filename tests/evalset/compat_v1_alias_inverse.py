"""TF1-era whitening helper ported to a tf.function, using a tf1 alias."""
import tensorflow as tf

tf1 = tf.compat.v1


def whiten(cov, x):
    return tf.matmul(x, tf1.matrix_inverse(cov + 1e-3 * tf.eye(3)))


@tf.function(input_signature=[tf.TensorSpec([3, 3], tf.float32), tf.TensorSpec([None, 3], tf.float32)])
def serve(cov, x):
    return whiten(cov, x)


def build_model():
    return serve
