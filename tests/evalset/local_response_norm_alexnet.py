"""AlexNet-style block with local response normalization."""
import tensorflow as tf
import keras
from keras import layers


class Lrn(layers.Layer):
    def call(self, x):
        return tf.nn.local_response_normalization(x, depth_radius=2, bias=1.0, alpha=1e-4, beta=0.75)


def build_model():
    x = keras.Input((32, 32, 3))
    h = layers.Conv2D(16, 5, strides=2, activation="relu")(x)
    h = Lrn()(h)
    h = layers.MaxPooling2D(3, 2)(h)
    return keras.Model(x, layers.Dense(10)(layers.Flatten()(h)))
