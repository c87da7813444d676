"""Seq2seq encoder: stacked LSTMs returning their states, batch left open."""
import keras
from keras import layers


def encoder(vocab=300, dim=32):
    src = keras.Input((None,), dtype="int32", name="source")
    x = layers.Embedding(vocab, dim)(src)
    x, h, c = layers.LSTM(dim, return_state=True)(x)
    return keras.Model(src, layers.Concatenate()([h, c]))


def build_model():
    return encoder()


def teacher_forcing_batches(pairs, batch_size=32):
    import numpy as np
    src = np.array([p[0] for p in pairs])
    return [src[i:i + batch_size] for i in range(0, len(src), batch_size)]
