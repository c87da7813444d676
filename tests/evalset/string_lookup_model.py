"""Categorical feature encoded by StringLookup inside the model."""
import keras
from keras import layers


def build_model():
    lookup = layers.StringLookup(vocabulary=["red", "green", "blue"], output_mode="int")
    color = keras.Input((1,), dtype="string")
    ids = lookup(color)
    x = layers.Embedding(lookup.vocabulary_size(), 4)(ids)
    x = layers.Flatten()(x)
    return keras.Model(color, layers.Dense(1)(x))


if __name__ == "__main__":
    built = build_model()
    print(type(built).__name__, "ready")
