"""Non-max suppression converts and is exact on valid boxes; on uniform inputs in [-1, 1) (most
boxes degenerate, ymin > ymax) TensorFlow and TFLite differ. The file gives no sample boxes."""
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([100, 4], tf.float32), tf.TensorSpec([100], tf.float32)])
def select_boxes(boxes, scores):
    keep, count = tf.image.non_max_suppression_padded(boxes, scores, max_output_size=10, iou_threshold=0.5,
                                                      pad_to_max_output_size=True)
    return tf.gather(boxes, keep), count
