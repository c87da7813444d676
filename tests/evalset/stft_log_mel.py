"""Log-mel front end built from tf.signal.stft (converts via RFFT)."""
import tensorflow as tf

SR = 16000


@tf.function(input_signature=[tf.TensorSpec([1, 16000], tf.float32)])
def log_mel(audio):
    stft = tf.signal.stft(audio, frame_length=400, frame_step=160, fft_length=512)
    power = tf.abs(stft) ** 2
    mel = tf.signal.linear_to_mel_weight_matrix(40, 257, SR, 20.0, 7600.0)
    return tf.math.log(tf.tensordot(power, mel, 1) + 1e-6)


def build_model():
    return log_mel
