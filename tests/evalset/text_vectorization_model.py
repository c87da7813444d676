"""End-to-end text classifier with TextVectorization inside the model."""
import keras
from keras import layers

CORPUS = ["the cat sat", "the dog ran", "a bird flew over the cat"]


def build_model():
    vectorize = layers.TextVectorization(max_tokens=50, output_sequence_length=8)
    vectorize.adapt(CORPUS)
    text = keras.Input((1,), dtype="string")
    x = vectorize(text)
    x = layers.Embedding(50, 8)(x)
    x = layers.GlobalAveragePooling1D()(x)
    return keras.Model(text, layers.Dense(2)(x))
