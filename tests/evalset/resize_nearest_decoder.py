"""U-Net style decoder that upsamples with nearest-neighbour resize."""
import tensorflow as tf
import keras
from keras import layers


class ResizeTo(layers.Layer):
    def __init__(self, height, width, **kwargs):
        super().__init__(**kwargs)
        self.height, self.width = height, width

    def call(self, x):
        return tf.image.resize(x, (self.height, self.width), method=tf.image.ResizeMethod.NEAREST_NEIGHBOR)


def build_model():
    inputs = keras.Input((64, 64, 1))
    e1 = layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
    e2 = layers.MaxPooling2D()(e1)
    e2 = layers.Conv2D(16, 3, padding="same", activation="relu")(e2)
    d1 = ResizeTo(64, 64)(e2)
    d1 = layers.Concatenate()([d1, e1])
    outputs = layers.Conv2D(1, 1, activation="sigmoid")(d1)
    return keras.Model(inputs, outputs)


def dice_loss(y_true, y_pred, eps=1e-6):
    inter = tf.reduce_sum(y_true * y_pred)
    return 1 - (2 * inter + eps) / (tf.reduce_sum(y_true) + tf.reduce_sum(y_pred) + eps)
