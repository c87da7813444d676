"""Video classifier with Conv3D and MaxPooling3D."""
import keras
from keras import layers


def build_model():
    clip = keras.Input((8, 32, 32, 3))
    x = layers.Conv3D(8, 3, padding="same", activation="relu")(clip)
    x = layers.MaxPooling3D(pool_size=2)(x)
    x = layers.Conv3D(16, 3, padding="same", activation="relu")(x)
    x = layers.GlobalAveragePooling3D()(x)
    return keras.Model(clip, layers.Dense(4)(x))


def mean_abs_error(expected, predicted):
    import numpy as np
    expected = np.asarray(expected, dtype=np.float64)
    return float(np.mean(np.abs(expected - np.asarray(predicted, dtype=np.float64))))
