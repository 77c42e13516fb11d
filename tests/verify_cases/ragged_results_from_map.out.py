import tensorflow as tf


def head(x):
    return tf.reshape(x, (-1,))[: tf.cast(x[0], tf.int32) + 1]


def main():
    source = tf.data.Dataset.from_tensor_slices(tf.constant([[0, 5], [1, 6], [2, 7]]))
    return list(source.map(head)), tf.ragged.constant([[1], [2, 3]])
