"""Gaussian-process head: Cholesky factor of a kernel matrix built from the inputs."""
import tensorflow as tf
import keras


def rbf(x, y, length=1.0):
    d = tf.reduce_sum(tf.square(tf.expand_dims(x, -2) - tf.expand_dims(y, -3)), -1)
    return tf.exp(-0.5 * d / length ** 2)


class GpLogDet(keras.layers.Layer):
    def call(self, x):
        k = rbf(x, x) + 1e-3 * tf.eye(x.shape[1])
        chol = tf.linalg.cholesky(k)
        return 2.0 * tf.reduce_sum(tf.math.log(tf.linalg.diag_part(chol)), axis=-1, keepdims=True)


def build_model():
    x = keras.Input((6, 2))
    return keras.Model(x, GpLogDet()(x))
