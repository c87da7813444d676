"""Subclassed character model with a SimpleRNN, wrapped in a functional model."""
import keras
from keras import layers


class CharRnn(keras.Model):
    def __init__(self, vocab=64, **kwargs):
        super().__init__(**kwargs)
        self.embed = layers.Embedding(vocab, 16)
        self.rnn = layers.SimpleRNN(32, return_sequences=True)
        self.head = layers.Dense(vocab)

    def call(self, ids):
        x = self.embed(ids)
        x = self.rnn(x)
        return self.head(x)


def build_model():
    ids = keras.Input((25,), dtype="int32")
    return keras.Model(ids, CharRnn()(ids))


def sample(model, seed_ids, steps=10):
    import numpy as np
    for _ in range(steps):
        logits = model.predict(seed_ids[None], verbose=0)[0, -1]
        seed_ids = np.append(seed_ids[1:], logits.argmax())
    return seed_ids
