"""Small integer categories one-hot encoded with CategoryEncoding."""
import keras
from keras import layers


def build_model():
    cat = keras.Input((1,), dtype="int32")
    onehot = layers.CategoryEncoding(num_tokens=6, output_mode="one_hot")(cat)
    num = keras.Input((3,))
    x = layers.Concatenate()([onehot, num])
    return keras.Model([cat, num], layers.Dense(1)(x))


def compile_and_fit(x, y, epochs=5):
    model = build_model()
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(x, y, epochs=epochs, batch_size=32, verbose=0)
    return model, history.history["loss"][-1]
