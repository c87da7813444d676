"""Sentiment classifier: embedding, LSTM, dense. Batch size left open."""
import keras
from keras import layers

VOCAB = 2000


def build_model():
    tokens = keras.Input((40,), dtype="int32")
    x = layers.Embedding(VOCAB, 32, mask_zero=False)(tokens)
    x = layers.LSTM(32)(x)
    x = layers.Dropout(0.2)(x)
    return keras.Model(tokens, layers.Dense(1, activation="sigmoid")(x))


def train(model, x, y):
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=64, epochs=2, validation_split=0.1)
    return model
