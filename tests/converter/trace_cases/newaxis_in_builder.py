"""A functional builder whose own indexing fails: the failure is on that line, not on the def."""
import keras


def build_model():
    tokens = keras.Input((None,))
    mask = tokens[:, None, :]
    return keras.Model(tokens, mask * 2.0)
