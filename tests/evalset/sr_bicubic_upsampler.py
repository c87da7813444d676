"""Super-resolution head: bicubic upsampling of the input added to a learned residual."""
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


class BicubicSkip(layers.Layer):
    def __init__(self, scale=2, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def call(self, images):
        size = (images.shape[1] * self.scale, images.shape[2] * self.scale)
        return tf.image.resize(images, size, method="bicubic")


def residual_block(x, filters):
    y = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    y = layers.Conv2D(filters, 3, padding="same")(y)
    return layers.Add()([x, y])


def build_model():
    lr = keras.Input(shape=(32, 32, 3))
    x = layers.Conv2D(16, 3, padding="same")(lr)
    x = residual_block(x, 16)
    x = layers.Conv2D(3 * 4, 3, padding="same")(x)
    x = layers.Lambda(lambda t: tf.nn.depth_to_space(t, 2))(x)
    skip = BicubicSkip(2)(lr)
    return keras.Model(lr, layers.Add()([x, skip]))


def psnr_metric(y_true, y_pred):
    return tf.image.psnr(y_true, y_pred, max_val=1.0)
