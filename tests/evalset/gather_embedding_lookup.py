"""Embedding lookups with tf.gather and tf.nn.embedding_lookup."""
import tensorflow as tf


class TwoTower(tf.Module):
    def __init__(self):
        super().__init__()
        self.users = tf.Variable(tf.random.normal([100, 16]))
        self.items = tf.Variable(tf.random.normal([50, 16]))

    @tf.function(input_signature=[tf.TensorSpec([None], tf.int32), tf.TensorSpec([None], tf.int32)])
    def score(self, user_ids, item_ids):
        u = tf.gather(self.users, user_ids)
        v = tf.nn.embedding_lookup(self.items, item_ids)
        return tf.reduce_sum(u * v, axis=-1)


def build_model():
    return TwoTower()
