"""DCGAN generator with tf.nn.conv2d_transpose in a tf.Module."""
import tensorflow as tf


class Generator(tf.Module):
    def __init__(self):
        super().__init__()
        self.fc = tf.Variable(tf.random.normal([16, 4 * 4 * 8]) * 0.05)
        self.k = tf.Variable(tf.random.normal([4, 4, 1, 8]) * 0.05)

    @tf.function(input_signature=[tf.TensorSpec([1, 16], tf.float32)])
    def __call__(self, z):
        h = tf.reshape(tf.nn.relu(tf.matmul(z, self.fc)), [1, 4, 4, 8])
        img = tf.nn.conv2d_transpose(h, self.k, output_shape=[1, 8, 8, 1], strides=2)
        return tf.tanh(img)


def build_model():
    return Generator()
