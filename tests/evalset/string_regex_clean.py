"""Serving signature that normalizes raw query strings before hashing them."""
import tensorflow as tf

BUCKETS = 128
table = tf.Variable(tf.random.normal([BUCKETS, 4]))


def normalize(text):
    text = tf.strings.lower(text)
    return tf.strings.regex_replace(text, r"[^a-z0-9 ]", "")


@tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
def embed_query(text):
    ids = tf.strings.to_hash_bucket_fast(normalize(text), BUCKETS)
    return tf.gather(table, ids)


def build_model():
    return embed_query
