"""Tokenization happens in tf.data; the model only sees integer ids."""
import tensorflow as tf
import keras

VOCAB = ["<pad>", "<unk>", "good", "bad", "movie", "plot"]


def tokenize(line):
    words = tf.strings.split(tf.strings.lower(line))
    table = tf.lookup.StaticHashTable(
        tf.lookup.KeyValueTensorInitializer(VOCAB, tf.range(len(VOCAB), dtype=tf.int64)), default_value=1)
    return table.lookup(words)[:10]


def make_dataset(lines, labels):
    ds = tf.data.Dataset.from_tensor_slices((lines, labels))
    return ds.map(lambda l, y: (tokenize(l), y)).padded_batch(8, padded_shapes=([10], []))


def build_model():
    ids = keras.Input((10,), dtype="int64")
    x = keras.layers.Embedding(len(VOCAB), 8)(ids)
    x = keras.layers.GlobalAveragePooling1D()(x)
    return keras.Model(ids, keras.layers.Dense(1, activation="sigmoid")(x))
