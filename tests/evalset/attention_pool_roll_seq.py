"""Audio tagger whose augmentation-free time shift uses tf.roll inside a tf.Module."""
import tensorflow as tf


class ShiftPool(tf.Module):
    def __init__(self, classes=5):
        super().__init__()
        self.head = tf.Variable(tf.random.normal([16, classes]) * 0.1)

    @tf.function(input_signature=[tf.TensorSpec([None, 50, 16], tf.float32)])
    def __call__(self, frames):
        delta = frames - tf.roll(frames, shift=1, axis=1)
        pooled = tf.reduce_mean(tf.abs(delta), axis=1)
        return tf.matmul(pooled, self.head)


def build_model():
    return ShiftPool()
