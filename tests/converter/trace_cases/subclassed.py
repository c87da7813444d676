"""A subclassed Keras model that was never called: its input shape is unknown without --input-shape."""
import keras


class Tiny(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(2)

    def call(self, x):
        return self.dense(x)


net = Tiny()
