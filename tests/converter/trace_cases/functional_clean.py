"""A Keras 3 functional model that converts with builtins and computes the same."""
import keras

inputs = keras.Input((16, 16, 3))
x = keras.layers.Conv2D(8, 3, activation="relu")(inputs)
x = keras.layers.GlobalAveragePooling2D()(x)
outputs = keras.layers.Dense(4, activation="softmax")(x)
model = keras.Model(inputs, outputs)
