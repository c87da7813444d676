"""Multi-label genres encoded with CategoryEncoding(output_mode='multi_hot')."""
import keras
from keras import layers


def build_model():
    genres = keras.Input((3,), dtype="int32")
    mh = layers.CategoryEncoding(num_tokens=12, output_mode="multi_hot")(genres)
    return keras.Model(genres, layers.Dense(4, activation="sigmoid")(mh))


if __name__ == "__main__":
    built = build_model()
    print(type(built).__name__, "ready")


def mean_abs_error(expected, predicted):
    import numpy as np
    expected = np.asarray(expected, dtype=np.float64)
    return float(np.mean(np.abs(expected - np.asarray(predicted, dtype=np.float64))))
