"""A serving tf.function that reaches a bicubic resize through two helpers."""
import tensorflow as tf


def _resize(images, size):
    return tf.image.resize(images, size, method="bicubic")


def _prepare(images):
    images = tf.image.convert_image_dtype(images, tf.float32)
    return _resize(images, (48, 48))


@tf.function(input_signature=[tf.TensorSpec([None, 32, 32, 3], tf.uint8)])
def serve(images):
    x = _prepare(images)
    return tf.reduce_mean(x, axis=[1, 2])


def build_model():
    return serve
