"""A model that converts, though a static error says otherwise: its branch is switched off."""
import keras
import tensorflow as tf

USE_WHITENING = False  # an experiment, switched off: the converter never sees that branch


class Whiten(keras.layers.Layer):
    def call(self, x):
        if USE_WHITENING:
            return tf.linalg.inv(x)  # TFL102 statically; never traced
        return x * 0.5


inputs = keras.Input((4, 4))
model = keras.Model(inputs, Whiten()(inputs))
