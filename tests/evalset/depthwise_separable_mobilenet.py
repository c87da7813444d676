"""MobileNet-style blocks with depthwise and separable convolutions."""
import keras
from keras import layers


def block(x, filters, stride):
    x = layers.DepthwiseConv2D(3, strides=stride, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU(6.0)(x)
    x = layers.Conv2D(filters, 1, use_bias=False)(x)
    return layers.ReLU(6.0)(layers.BatchNormalization()(x))


def build_model():
    x_in = keras.Input((64, 64, 3))
    x = layers.Conv2D(8, 3, strides=2, padding="same")(x_in)
    x = block(x, 16, 1)
    x = block(x, 32, 2)
    x = layers.SeparableConv2D(32, 3, padding="same")(x)
    return keras.Model(x_in, layers.Dense(4)(layers.GlobalAveragePooling2D()(x)))
