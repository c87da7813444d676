"""Long convolution via FFT (Hyena/S4-style) in a tf.Module."""
import tensorflow as tf

L = 64


class FftConv(tf.Module):
    def __init__(self):
        super().__init__()
        self.kernel = tf.Variable(tf.random.normal([L]) * 0.1)

    @tf.function(input_signature=[tf.TensorSpec([None, L], tf.float32)])
    def __call__(self, u):
        uf = tf.signal.rfft(u, fft_length=[2 * L])
        kf = tf.signal.rfft(self.kernel, fft_length=[2 * L])
        return tf.signal.irfft(uf * kf, fft_length=[2 * L])[:, :L]


def build_model():
    return FftConv()
