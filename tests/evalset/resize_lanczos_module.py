"""A preprocessing module that rescales photos with a Lanczos kernel before a tiny CNN."""
import tensorflow as tf


class Preprocess(tf.Module):
    def __init__(self):
        super().__init__()
        self.kernel = tf.Variable(tf.random.normal([3, 3, 3, 8], stddev=0.1))

    @tf.function(input_signature=[tf.TensorSpec([1, 128, 128, 3], tf.float32)])
    def __call__(self, photo):
        x = tf.image.resize(photo, [64, 64], method="lanczos3")
        x = tf.nn.conv2d(x, self.kernel, strides=1, padding="SAME")
        return tf.nn.relu(x)


def build_model():
    return Preprocess()
