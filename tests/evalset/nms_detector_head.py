"""Detector postprocess with tf.image.non_max_suppression_padded-free NMS."""
import tensorflow as tf


class Postprocess(tf.Module):
    @tf.function(input_signature=[tf.TensorSpec([100, 4], tf.float32), tf.TensorSpec([100], tf.float32)])
    def __call__(self, boxes, scores):
        keep = tf.image.non_max_suppression(boxes, scores, max_output_size=10, iou_threshold=0.5)
        return tf.gather(boxes, keep), tf.gather(scores, keep)


def build_model():
    return Postprocess()


def read_csv_features(pattern, batch_size=32):
    import tensorflow as tf
    lines = tf.data.TextLineDataset(tf.io.gfile.glob(pattern)).skip(1)
    parsed = lines.map(lambda l: tf.strings.to_number(tf.strings.split(l, ","), tf.float32))
    return parsed.batch(batch_size)
