"""Greedy decoder that accumulates steps in a dynamic-size TensorArray."""
import tensorflow as tf


class GreedyDecoder(tf.Module):
    def __init__(self, vocab=16, dim=8):
        super().__init__()
        self.embed = tf.Variable(tf.random.normal([vocab, dim]))
        self.out = tf.Variable(tf.random.normal([dim, vocab]))

    @tf.function(input_signature=[tf.TensorSpec([1, 8], tf.float32)])
    def __call__(self, state):
        tokens = tf.TensorArray(tf.int32, size=0, dynamic_size=True)
        for i in tf.range(6):
            logits = tf.matmul(state, self.out)
            tok = tf.argmax(logits, axis=-1, output_type=tf.int32)
            tokens = tokens.write(i, tok[0])
            state = tf.tanh(state + tf.gather(self.embed, tok))
        return tokens.stack()


def build_model():
    return GreedyDecoder()
