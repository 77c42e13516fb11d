"""A training step that flattens image patches with NumPy.

Run eagerly it "works" (and silently returns an ndarray that cuts the gradient); under
`tf.function` it fails with `NotImplementedError: Cannot convert a symbolic tf.Tensor to a
numpy array`. `tfnp-migrate diff examples/` proposes `tf.reshape` for both calls.
"""

import numpy as np
import tensorflow as tf

PATCH = 4


class PatchEncoder(tf.Module):
    def __init__(self, dim=8):
        super().__init__()
        self.w = tf.Variable(tf.random.stateless_normal([PATCH * PATCH, dim], seed=(1, 2)))

    def __call__(self, images):
        return tf.matmul(images, self.w)


encoder = PatchEncoder()
optimizer = tf.keras.optimizers.SGD(0.1)


@tf.function(input_signature=[tf.TensorSpec([None, 16, 16], tf.float32)])
def train_step(images):
    with tf.GradientTape() as tape:
        # (batch, 16, 16) -> (batch * 16 patches, 16 pixels)
        patches = np.reshape(images, (-1, PATCH * PATCH))
        loss = tf.reduce_mean(tf.square(encoder(patches)))
    grads = tape.gradient(loss, encoder.trainable_variables)
    optimizer.apply_gradients(zip(grads, encoder.trainable_variables))
    return loss


@tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
def to_images(flat):
    return flat.reshape(-1, 16, 16)


def main():
    flat = tf.random.stateless_uniform([2 * 16 * 16], seed=(3, 4))
    return [train_step(to_images(flat)) for _ in range(2)]


if __name__ == "__main__":
    print(main())
