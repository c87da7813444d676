"""Solves a batch of small linear systems given as model inputs."""
import tensorflow as tf


class Solver(tf.Module):
    @tf.function(input_signature=[tf.TensorSpec([None, 3, 3], tf.float32),
                                  tf.TensorSpec([None, 3, 1], tf.float32)])
    def __call__(self, a, b):
        a_inv = tf.linalg.inv(a)
        return tf.matmul(a_inv, b)


def build_model():
    return Solver()


def residual(a, b, x):
    return tf.norm(tf.matmul(a, x) - b, axis=[-2, -1])
