"""Legacy code path: tf.compat.v1 bicubic resize kept from a TF1 project."""
import tensorflow as tf

tf1 = tf.compat.v1


def upscale(x, factor):
    h, w = x.shape[1], x.shape[2]
    return tf1.image.resize_bicubic(x, [h * factor, w * factor], align_corners=True)


@tf.function(input_signature=[tf.TensorSpec([None, 24, 24, 1], tf.float32)])
def enhance(x):
    y = upscale(x, 2)
    return tf.nn.sigmoid(y * 4.0 - 2.0)


def build_model():
    return enhance
