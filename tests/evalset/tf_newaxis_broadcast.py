"""Per-channel gating broadcast with tf.newaxis on a None-batch tensor."""
import tensorflow as tf
import keras


class ChannelGate(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], input_shape[-1]))

    def call(self, x):
        pooled = tf.reduce_mean(x, axis=1)
        gate = tf.sigmoid(tf.matmul(pooled, self.w))
        return x * gate[:, tf.newaxis, :]


def build_model():
    x = keras.Input((None, 12))
    return keras.Model(x, ChannelGate()(x))
