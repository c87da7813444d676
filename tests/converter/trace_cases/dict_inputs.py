"""A Keras model whose inputs are a dict, as every keras-hub text backbone: from_keras_model cannot
convert it in TF 2.21, a functional wrapper taking the same inputs as a list can. The 2-entry
segment embedding overflows on random integers in [0, 8): parity must bound them."""
import keras

tokens = keras.Input((6,), dtype="int32", name="token_ids")
segments = keras.Input((6,), dtype="int32", name="segment_ids")
embedded = keras.layers.Embedding(32, 4)(tokens) + keras.layers.Embedding(2, 4)(segments)
model = keras.Model({"token_ids": tokens, "segment_ids": segments}, keras.layers.Dense(3)(embedded))
