"""ZCA whitening of each input batch via SVD in a custom layer."""
import tensorflow as tf
import keras


class Zca(keras.layers.Layer):
    def call(self, x):
        centered = x - tf.reduce_mean(x, axis=0, keepdims=True)
        cov = tf.matmul(centered, centered, transpose_a=True)
        s, u, _ = tf.linalg.svd(cov)
        w = tf.matmul(u / tf.sqrt(s + 1e-5), u, transpose_b=True)
        return tf.matmul(centered, w)


def build_model():
    x = keras.Input((6,), batch_size=16)
    return keras.Model(x, Zca()(x))
