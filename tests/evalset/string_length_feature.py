"""A model that takes raw strings and uses their byte length as a feature."""
import tensorflow as tf


class LengthScorer(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(0.01)

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
    def __call__(self, text):
        n = tf.cast(tf.strings.length(text), tf.float32)
        return tf.sigmoid(self.w * n - 1.0)


def build_model():
    return LengthScorer()
