"""Augmentation layers inside the model (inactive at inference)."""
import keras
from keras import layers

augment = keras.Sequential([
    layers.RandomFlip("horizontal"),
    layers.RandomRotation(0.1),
    layers.RandomZoom(0.1),
    layers.RandomContrast(0.2),
])


def build_model():
    x_in = keras.Input((64, 64, 3))
    x = augment(x_in)
    x = layers.Conv2D(16, 3, strides=2, activation="relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(x_in, layers.Dense(5)(x))
