"""Causal self-attention mask built with tf.linalg.band_part."""
import tensorflow as tf
import keras


class CausalAttention(keras.layers.Layer):
    def __init__(self, dim, **kwargs):
        super().__init__(**kwargs)
        self.qkv = keras.layers.Dense(3 * dim)

    def call(self, x):
        q, k, v = tf.split(self.qkv(x), 3, axis=-1)
        n = x.shape[1]
        causal = tf.linalg.band_part(tf.ones([n, n]), -1, 0)
        scores = tf.matmul(q, k, transpose_b=True) - 1e9 * (1.0 - causal)
        return tf.matmul(tf.nn.softmax(scores), v)


def build_model():
    x = keras.Input((12, 16))
    return keras.Model(x, CausalAttention(16)(x))
