"""A tf.Module whose signature function inverts its input: MatrixInverse needs Select TF ops."""
import tensorflow as tf


class Solver(tf.Module):
    def __init__(self):
        super().__init__()
        self.scale = tf.Variable(2.0)

    @tf.function(input_signature=[tf.TensorSpec([None, 3, 3], tf.float32)])
    def __call__(self, x):
        return tf.linalg.inv(x * self.scale)  # TFL102


solver = Solver()
