"""An input pipeline and a Keras layer that reshape tensors with NumPy.

`Dataset.map` traces its callback and Keras traces `Layer.call` while fitting, so both
`np.reshape` calls raise `NotImplementedError` on a symbolic tensor. The ndarray built at
import time and the eager `.tolist()` report are NumPy work on NumPy values (or need the
ndarray), and `tfnp-migrate` leaves them alone.
"""

import numpy as np
import tensorflow as tf

CLASS_WEIGHTS = np.reshape(np.array([1.0, 2.0, 1.0, 0.5], dtype=np.float32), (2, 2))


def decode(pixels, label):
    image = np.reshape(pixels, (8, 8, 1))
    return tf.cast(image, tf.float32) / 255.0, label


class Rows(tf.keras.layers.Layer):
    """Splits a (batch, 8, 8, 1) image into (batch, 8, 8) rows for a dense head."""

    def call(self, images):
        return np.reshape(images, (-1, 8, 8))


def build_model():
    return tf.keras.Sequential(
        [tf.keras.Input((8, 8, 1)), Rows(), tf.keras.layers.Flatten(), tf.keras.layers.Dense(2)]
    )


def main():
    pixels = tf.random.stateless_uniform([6, 64], seed=(5, 6), maxval=256, dtype=tf.int32)
    labels = tf.constant([0, 1, 0, 1, 1, 0])
    ds = tf.data.Dataset.from_tensor_slices((pixels, labels)).map(decode).batch(3)
    model = build_model()
    model.compile("sgd", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(ds, epochs=1, verbose=0)
    confusion = np.reshape(tf.constant([3, 0, 1, 2]), (2, 2))
    return history.history["loss"], confusion.tolist(), CLASS_WEIGHTS


if __name__ == "__main__":
    print(main())
