"""Switches between two heads with tf.cond on a scalar input flag."""
import tensorflow as tf


class TwoHeads(tf.Module):
    def __init__(self):
        super().__init__()
        self.a = tf.Variable(tf.random.normal([6, 2]))
        self.b = tf.Variable(tf.random.normal([6, 2]))

    @tf.function(input_signature=[tf.TensorSpec([None, 6], tf.float32), tf.TensorSpec([], tf.bool)])
    def __call__(self, x, use_b):
        return tf.cond(use_b, lambda: tf.matmul(x, self.b), lambda: tf.matmul(x, self.a))


def build_model():
    return TwoHeads()
