"""Orthogonality regularizer computed with SVD in the loss; the model is plain dense layers."""
import tensorflow as tf
import keras


def orthogonality_penalty(weights):
    s = tf.linalg.svd(weights, compute_uv=False)
    return tf.reduce_sum(tf.square(s - 1.0))


class OrthoRegularizer(keras.regularizers.Regularizer):
    def __call__(self, w):
        return 1e-3 * orthogonality_penalty(w)


def build_model():
    x = keras.Input((16,))
    h = keras.layers.Dense(16, kernel_regularizer=OrthoRegularizer())(x)
    return keras.Model(x, keras.layers.Dense(2)(h))
