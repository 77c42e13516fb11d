import tensorflow as tf


def repeat_rows(x):
    return tf.data.Dataset.from_tensor_slices(tf.reshape(x, (-1, 1)))


def main():
    source = tf.data.Dataset.from_tensor_slices(tf.reshape(tf.range(18), (3, 6)))
    mixed = source.interleave(repeat_rows, cycle_length=2, block_length=2)
    flat = source.flat_map(repeat_rows).batch(4)
    return [list(mixed), list(flat)]
