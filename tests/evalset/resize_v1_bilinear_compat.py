"""Legacy code path: tf.compat.v1 bilinear resize, which has a builtin kernel."""
import tensorflow as tf
import tensorflow.compat.v1 as v1


def upscale(x, factor):
    h, w = x.shape[1], x.shape[2]
    return v1.image.resize_bilinear(x, [h * factor, w * factor], half_pixel_centers=True)


@tf.function(input_signature=[tf.TensorSpec([None, 24, 24, 1], tf.float32)])
def enhance(x):
    y = upscale(x, 2)
    return tf.nn.sigmoid(y * 4.0 - 2.0)


def build_model():
    return enhance
