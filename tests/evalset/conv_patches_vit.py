"""ViT patch embedding written as a strided convolution: the usual converting form."""
import keras
from keras import layers, ops

PATCH = 8


class PatchEmbed(layers.Layer):
    def __init__(self, dim, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim
        self.proj = layers.Conv2D(dim, PATCH, strides=PATCH)

    def call(self, images):
        x = self.proj(images)
        return ops.reshape(x, (-1, x.shape[1] * x.shape[2], self.dim))


def build_model():
    images = keras.Input((32, 32, 3))
    x = PatchEmbed(32)(images)
    x = layers.MultiHeadAttention(num_heads=2, key_dim=16)(x, x)
    x = layers.GlobalAveragePooling1D()(x)
    return keras.Model(images, layers.Dense(10)(x))


def train(model, dataset, epochs=3):
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model.fit(dataset, epochs=epochs)
