"""ROI feature extractor (two-stage detector head) with crop_and_resize."""
import tensorflow as tf
import keras
from keras import layers


class RoiAlign(layers.Layer):
    def __init__(self, crop=7, **kwargs):
        super().__init__(**kwargs)
        self.crop = crop

    def call(self, features, boxes):
        box_indices = tf.zeros([tf.shape(boxes)[0]], tf.int32)
        return tf.image.crop_and_resize(features, boxes, box_indices, [self.crop, self.crop])


def build_model():
    feats = keras.Input((32, 32, 16), batch_size=1)
    boxes = keras.Input((4,), batch_size=8)
    crops = RoiAlign(7)(feats, boxes)
    x = layers.Flatten()(crops)
    return keras.Model([feats, boxes], layers.Dense(5)(x))
