"""Autoencoder plus a plotting helper for its reconstructions."""
import numpy as np
import keras
from keras import layers


def build_model():
    x = keras.Input((28, 28, 1))
    h = layers.Conv2D(8, 3, strides=2, padding="same", activation="relu")(x)
    h = layers.Conv2DTranspose(8, 3, strides=2, padding="same", activation="relu")(h)
    return keras.Model(x, layers.Conv2D(1, 3, padding="same", activation="sigmoid")(h))


def plot_reconstructions(model, images, n=4):
    import matplotlib.pyplot as plt
    recon = model.predict(images[:n], verbose=0)
    fig, axes = plt.subplots(2, n, figsize=(2 * n, 4))
    for i in range(n):
        axes[0, i].imshow(np.squeeze(images[i]), cmap="gray")
        axes[1, i].imshow(np.squeeze(recon[i]), cmap="gray")
    return fig
