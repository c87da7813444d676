"""Resizing layer with its default bilinear interpolation."""
import keras
from keras import layers


def build_model():
    x_in = keras.Input((80, 80, 3))
    x = layers.Resizing(64, 64)(x_in)
    x = layers.Conv2D(8, 3, activation="relu")(x)
    return keras.Model(x_in, layers.Dense(3)(layers.GlobalMaxPooling2D()(x)))


def plot_history(losses, path="loss.png"):
    import matplotlib.pyplot as plt
    plt.plot(losses)
    plt.xlabel("epoch")
    plt.savefig(path)
