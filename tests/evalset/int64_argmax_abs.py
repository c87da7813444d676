"""Distance between predicted and target class indices (int64 from argmax) with tf.abs."""
import tensorflow as tf
import keras


class ClassDistance(keras.layers.Layer):
    def call(self, logits, target):
        pred = tf.argmax(logits, axis=-1)
        return tf.abs(pred - tf.cast(target[:, 0], tf.int64))


def build_model():
    x = keras.Input((8,))
    target = keras.Input((1,), dtype="int32")
    logits = keras.layers.Dense(5)(x)
    return keras.Model([x, target], ClassDistance()(logits, target))
