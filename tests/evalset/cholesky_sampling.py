"""Correlated noise: Cholesky factor of an input covariance, in a tf.function."""
import tensorflow as tf


def correlated(cov, eps):
    chol = tf.linalg.cholesky(cov)
    return tf.linalg.matvec(chol, eps)


@tf.function(input_signature=[tf.TensorSpec([None, 3, 3], tf.float32), tf.TensorSpec([None, 3], tf.float32)])
def sample(cov, eps):
    return correlated(cov + 1e-4 * tf.eye(3), eps)


def build_model():
    return sample
