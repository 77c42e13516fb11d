import tensorflow as tf


def to_pairs(x, y):
    return tf.reshape(x, (2, 2)), y + 1


def main():
    ds = tf.data.Dataset.from_tensor_slices((tf.reshape(tf.range(12), (3, 4)), tf.range(3)))
    ds = ds.map(to_pairs).batch(2)
    evens = tf.data.Dataset.range(6).filter(lambda v: tf.equal(tf.math.floormod(v, 2), 0))
    return [list(ds), list(evens)]
