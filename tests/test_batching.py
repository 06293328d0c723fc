"""dlhomework.batching: the inner-loop count and the mini-batches themselves."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlhomework.batching import iterations_per_epoch, minibatches, total_iterations

# -- counting ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n_samples", "batch_size", "full", "dropped"),
    [
        (1000, 20, 50, 50),  # the course's question: divides exactly
        (1010, 20, 51, 50),  # a partial batch of 10
        (404, 100, 5, 4),  # the housing training set, batch 100: last batch has 4
        (404, 404, 1, 1),
        (404, 500, 1, 0),  # one partial batch, or nothing with drop_last
        (5, 1, 5, 5),
        (1, 3, 1, 0),
        (0, 7, 0, 0),
    ],
)
def test_iterations_per_epoch_by_hand(n_samples, batch_size, full, dropped):
    assert iterations_per_epoch(n_samples, batch_size) == full
    assert iterations_per_epoch(n_samples, batch_size, drop_last=False) == full
    assert iterations_per_epoch(n_samples, batch_size, drop_last=True) == dropped


def test_course_question_total():
    # 5 epochs, 1000 samples, batch size 20: 1000 / 20 = 50 per epoch, 250 in all.
    assert total_iterations(5, 1000, 20) == 250
    # With a partial batch (1010 samples): 51 per epoch, or 50 with drop_last.
    assert total_iterations(5, 1010, 20) == 255
    assert total_iterations(5, 1010, 20, drop_last=True) == 250


def test_counts_are_exact_for_huge_sizes():
    # float division (math.ceil(n / b)) would round these wrongly.
    n = 10**20 + 1
    assert iterations_per_epoch(n, 10**10) == 10**10 + 1
    assert iterations_per_epoch(n, 10**10, drop_last=True) == 10**10
    assert total_iterations(3, n, 10**10) == 3 * (10**10 + 1)


def test_numpy_integers_accepted():
    assert iterations_per_epoch(np.int64(10), np.int32(3)) == 4
    assert total_iterations(np.int16(2), 10, 3, drop_last=np.bool_(True)) == 6


@given(n=st.integers(0, 5000), b=st.integers(1, 600), drop=st.booleans())
def test_count_matches_the_batches(n, b, drop):
    # The count is the number of batches minibatches actually yields, and those batches
    # cover the samples exactly as the definition says.
    X = np.zeros((n, 1))
    sizes = [len(xb) for xb, _ in minibatches(X, X, b, shuffle=False, drop_last=drop)]
    assert len(sizes) == iterations_per_epoch(n, b, drop)
    assert all(s == b for s in sizes[:-1])
    if drop:
        assert sum(sizes) == n - n % b
        assert all(s == b for s in sizes)
    else:
        assert sum(sizes) == n
        assert len(sizes) * b >= n > (len(sizes) - 1) * b or n == 0


@given(n=st.integers(0, 2000), b=st.integers(1, 600))
def test_default_count_is_the_course_slicing(n, b):
    # The course's Network.train cuts an epoch this way, keeping the partial last batch.
    data = list(range(n))
    assert len([data[k : k + b] for k in range(0, n, b)]) == iterations_per_epoch(n, b)


@pytest.mark.paddle
@pytest.mark.parametrize("n_samples", [0, 1, 5, 99, 100, 101, 404])
@pytest.mark.parametrize("batch_size", [1, 3, 100, 404, 500])
@pytest.mark.parametrize("drop_last", [False, True])
def test_same_as_paddle_dataloader_len(paddle, n_samples, batch_size, drop_last):
    class Dataset(paddle.io.Dataset):
        def __len__(self):
            return n_samples

        def __getitem__(self, i):
            return np.float32(i)

    sampler = paddle.io.BatchSampler(Dataset(), batch_size=batch_size, drop_last=drop_last)
    loader = paddle.io.DataLoader(Dataset(), batch_size=batch_size, drop_last=drop_last)
    expected = iterations_per_epoch(n_samples, batch_size, drop_last)
    assert len(sampler) == expected
    assert len(loader) == expected
    assert total_iterations(3, n_samples, batch_size, drop_last) == 3 * len(loader)


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((10, 0), ValueError, "batch_size must be a positive integer, got 0"),
        ((10, -3), ValueError, "batch_size must be a positive integer, got -3"),
        ((-1, 2), ValueError, "n_samples must be an integer >= 0, got -1"),
        ((10, 2.0), TypeError, r"batch_size must be an integer, got 2\.0"),
        ((10.0, 2), TypeError, r"n_samples must be an integer, got 10\.0"),
        ((10, True), TypeError, "batch_size must be an integer, got True"),
        ((False, 2), TypeError, "n_samples must be an integer, got False"),
        (("10", 2), TypeError, "n_samples must be an integer, got '10'"),
        ((10, None), TypeError, "batch_size must be an integer, got None"),
        ((10, 2, 1), TypeError, "drop_last must be a bool, got 1"),
        ((10, 2, "no"), TypeError, "drop_last must be a bool, got 'no'"),
    ],
)
def test_iterations_per_epoch_bad_input(args, error, message):
    with pytest.raises(error, match=message):
        iterations_per_epoch(*args)


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((0, 10, 2), ValueError, "n_epochs must be a positive integer, got 0"),
        ((-1, 10, 2), ValueError, "n_epochs must be a positive integer, got -1"),
        ((2.0, 10, 2), TypeError, r"n_epochs must be an integer, got 2\.0"),
        ((True, 10, 2), TypeError, "n_epochs must be an integer, got True"),
        ((2, -1, 2), ValueError, "n_samples must be an integer >= 0, got -1"),
        ((2, 10, 0), ValueError, "batch_size must be a positive integer, got 0"),
        ((2, 10, False), TypeError, "batch_size must be an integer, got False"),
    ],
)
def test_total_iterations_bad_input(args, error, message):
    with pytest.raises(error, match=message):
        total_iterations(*args)


# -- the batches -----------------------------------------------------------------------


def _data(n: int = 11, d: int = 3):
    """Rows that identify themselves: X[i] = (i, 100 + i, ...), y[i] = -i."""
    X = np.arange(n, dtype=np.float64)[:, None] + 100.0 * np.arange(d)
    y = -np.arange(n, dtype=np.float64)[:, None]
    return X, y


def _indices(batches) -> list[list[int]]:
    return [[int(v) for v in xb[:, 0]] for xb, _ in batches]


def test_unshuffled_batches_in_order_with_partial_last():
    X, y = _data(11)
    batches = list(minibatches(X, y, 4, shuffle=False))
    assert _indices(batches) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10]]
    for xb, yb in batches:
        assert xb.shape[1] == 3 and yb.shape[1] == 1
        np.testing.assert_array_equal(yb[:, 0], -xb[:, 0])  # rows stay paired
        np.testing.assert_array_equal(xb[:, 1], xb[:, 0] + 100.0)
    dropped = list(minibatches(X, y, 4, shuffle=False, drop_last=True))
    assert _indices(dropped) == [[0, 1, 2, 3], [4, 5, 6, 7]]


@pytest.mark.parametrize("drop_last", [False, True])
@pytest.mark.parametrize("batch_size", [1, 3, 4, 11, 20])
def test_shuffled_epoch_visits_every_sample_once(batch_size, drop_last):
    n = 11
    X, y = _data(n)
    batches = list(minibatches(X, y, batch_size, rng=3, drop_last=drop_last))
    seen = [i for batch in _indices(batches) for i in batch]
    assert len(batches) == iterations_per_epoch(n, batch_size, drop_last)
    assert len(seen) == len(set(seen))  # nobody twice
    if drop_last:
        assert len(seen) == n - n % batch_size
        assert all(len(b) == batch_size for b in _indices(batches))
    else:
        assert sorted(seen) == list(range(n))  # everybody once
    for xb, yb in batches:
        np.testing.assert_array_equal(yb[:, 0], -xb[:, 0])  # X and y shuffled together


def test_order_is_a_permutation_from_rng():
    X, y = _data(11)
    order = [i for b in _indices(minibatches(X, y, 4, rng=42)) for i in b]
    assert order == np.random.default_rng(42).permutation(11).tolist()
    assert order != list(range(11))


def test_same_seed_same_batches_and_generator_advances():
    X, y = _data(30)
    a = _indices(minibatches(X, y, 7, rng=5))
    b = _indices(minibatches(X, y, 7, rng=np.random.default_rng(5)))
    assert a == b
    gen = np.random.default_rng(5)
    epoch1 = _indices(minibatches(X, y, 7, rng=gen))
    epoch2 = _indices(minibatches(X, y, 7, rng=gen))
    assert epoch1 == a
    assert epoch1 != epoch2  # a new permutation for the next epoch
    assert sorted(i for batch in epoch2 for i in batch) == list(range(30))


def test_shuffle_false_ignores_rng():
    X, y = _data(6)
    gen = np.random.default_rng(0)
    state = gen.bit_generator.state
    assert _indices(minibatches(X, y, 4, rng=gen, shuffle=False)) == [[0, 1, 2, 3], [4, 5]]
    assert gen.bit_generator.state == state


def test_checks_and_permutation_happen_at_call_time():
    X, y = _data(5)
    with pytest.raises(ValueError, match="batch_size"):
        minibatches(X, y, 0)  # no next() needed
    gen = np.random.default_rng(0)
    state = gen.bit_generator.state
    it = minibatches(X, y, 2, rng=gen)
    assert gen.bit_generator.state != state  # permutation drawn already
    assert len(list(it)) == 3


def test_caller_arrays_are_protected_without_needless_copies():
    X, y = _data(8)
    X0, y0 = X.copy(), y.copy()
    # In order: views into the caller's arrays (no copy) that cannot be written.
    for xb, yb in minibatches(X, y, 3, shuffle=False):
        assert np.shares_memory(xb, X) and np.shares_memory(yb, y)
        with pytest.raises(ValueError, match="read-only"):
            xb[0, 0] = 99.0
        with pytest.raises(ValueError, match="read-only"):
            yb += 1.0
    # Shuffled: fresh copies, writable, and writing them leaves the caller's arrays alone.
    for xb, yb in minibatches(X, y, 3, rng=0):
        assert not np.shares_memory(xb, X) and not np.shares_memory(yb, y)
        xb[...] = -1.0
        yb[...] = -1.0
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    assert X.flags.writeable and y.flags.writeable  # the caller's flags are untouched


def test_int_lists_and_1d_targets_accepted():
    batches = list(minibatches([[1, 2], [3, 4], [5, 6]], [7, 8, 9], 2, shuffle=False))
    assert batches[0][0].dtype == np.float64 and batches[0][1].dtype == np.float64
    assert batches[0][0].tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert batches[1][1].tolist() == [9.0]


def test_nan_and_inf_pass_through_unchanged_and_sgd_refuses_them():
    """The batcher computes nothing, so it does not inspect values (its docstring says so);
    sgd, which computes, refuses them once at its boundary."""
    from dlhomework.models import LinearRegression
    from dlhomework.training import sgd

    X = np.arange(8.0).reshape(4, 2)
    X[1, 0], X[2, 1] = np.nan, np.inf
    y = np.ones((4, 1))
    (xb, _), (xb2, _) = minibatches(X, y, 2, shuffle=False)
    np.testing.assert_array_equal(np.vstack([xb, xb2]), X)  # NaN == NaN here
    with pytest.raises(ValueError, match=r"X must contain only finite values, got nan"):
        sgd(LinearRegression(2, rng=0), X, y, n_epochs=1, batch_size=2, lr=0.1)


def test_empty_epoch():
    assert list(minibatches(np.zeros((0, 3)), np.zeros((0, 1)), 4, rng=0)) == []


X5, Y5 = np.zeros((5, 2)), np.zeros((5, 1))


@pytest.mark.parametrize(
    ("X", "y", "kwargs", "error", "message"),
    [
        (X5, np.zeros((4, 1)), {}, ValueError, "same number of samples, got X with 5"),
        (X5, np.zeros((6,)), {}, ValueError, "y with 6"),
        (np.float64(1.0), np.zeros(1), {}, ValueError, "samples axis"),
        (X5, 3.0, {}, ValueError, "samples axis"),
        (np.array([["a", "b"]]), Y5, {}, TypeError, "X must be a real numeric array"),
        (X5, np.array([[1 + 2j]]), {}, TypeError, "y must be a real numeric array"),
        (X5, Y5, {"batch_size": 0}, ValueError, "batch_size must be a positive integer, got 0"),
        (X5, Y5, {"batch_size": 2.5}, TypeError, r"batch_size must be an integer, got 2\.5"),
        (X5, Y5, {"batch_size": True}, TypeError, "batch_size must be an integer, got True"),
        (X5, Y5, {"shuffle": 0}, TypeError, "shuffle must be a bool, got 0"),
        (X5, Y5, {"drop_last": None}, TypeError, "drop_last must be a bool, got None"),
        (X5, Y5, {"rng": 1.5}, TypeError, "rng must be"),
        (X5, Y5, {"rng": -1}, ValueError, "rng seed must be non-negative"),
        ([[1.0, 2.0], [3.0]], Y5, {}, ValueError, "X must be a rectangular array of numbers"),
        (X5, [[1.0], [2.0, 3.0]], {}, ValueError, "y must be a rectangular array of numbers"),
        (
            X5,
            np.ma.array(Y5, mask=np.arange(5)[:, None] == 3),
            {},
            ValueError,
            r"y is a masked array with masked entries \(1, the first at index \(3, 0\)\)",
        ),
        (
            X5,
            Y5,
            {"batch_size": -(10**5000)},
            ValueError,
            "batch_size must be a positive integer, got a negative int of 16610 bits",
        ),
    ],
)
def test_minibatches_bad_input(X, y, kwargs, error, message):
    args = {"batch_size": 2, **kwargs}
    with pytest.raises(error, match=message):
        minibatches(X, y, args.pop("batch_size"), **args)


@pytest.mark.parametrize("batch_size", [10**30, 2**63, 2**64 + 1])
def test_batch_size_beyond_any_array_length(batch_size):
    # One partial batch holding every sample, or nothing with drop_last.
    X, y = _data(5)
    for shuffle in (False, True):
        batches = list(minibatches(X, y, batch_size, rng=0, shuffle=shuffle))
        assert len(batches) == 1 and sorted(_indices(batches)[0]) == [0, 1, 2, 3, 4]
        assert list(minibatches(X, y, batch_size, rng=0, shuffle=shuffle, drop_last=True)) == []
    assert iterations_per_epoch(5, batch_size) == 1


def test_float16_and_big_endian_inputs_give_the_same_float64_batches():
    X, y = _data(6)
    expected = [(xb.tolist(), yb.tolist()) for xb, yb in minibatches(X, y, 4, shuffle=False)]
    for dtype in (np.float16, ">f8", ">i8"):
        got = list(minibatches(X.astype(dtype), y.astype(dtype), 4, shuffle=False))
        assert all(xb.dtype == np.float64 and xb.dtype.isnative for xb, _ in got)
        assert [(xb.tolist(), yb.tolist()) for xb, yb in got] == expected
