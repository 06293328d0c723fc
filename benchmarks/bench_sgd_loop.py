"""Benchmark: ``training.sgd`` against a minimal hand-written NumPy loop doing the same work.

Target (redesign issue): ``sgd`` at most 1.5 times the time of the hand loop, for the
linear model and the two-layer network.  Both runs do exactly the same work — per
epoch a permutation from the same generator, the same mini-batches, the forward pass,
the loss of each batch recorded before its update, the hand-written gradient, the
update, the epoch's mean loss — so the ratio is the cost of the package's generality:
its ``Model`` protocol, the dict of parameters, the per-epoch divergence check.  The
script first checks that both end with the same parameters.

Interleaved in one process (sgd, hand loop, sgd, ...) after a warm-up, each measurement
a whole training run; the median and minimum of ``--repeats`` runs are reported.

    python benchmarks/bench_sgd_loop.py              # 9 repeats, 200 epochs, batch 32
    python benchmarks/bench_sgd_loop.py --repeats 15 --epochs 400 --batch-size 10
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np

from dlhomework.data import load_data
from dlhomework.models import LinearRegression, TwoLayerNet
from dlhomework.training import sgd


def hand_linear(params, X, y, n_epochs, batch_size, lr, seed):
    """The course's loop for ``X @ W + b`` with the MSE, written out."""
    W, b = params["W"], params["b"]
    rng = np.random.default_rng(seed)
    n = X.shape[0]
    losses, epoch_losses = [], []
    for _ in range(n_epochs):
        order = rng.permutation(n)
        total = 0.0
        for k in range(0, n, batch_size):
            idx = order[k : k + batch_size]
            xb, yb = X[idx], y[idx]
            diff = xb @ W + b - yb
            loss = float(np.mean(diff**2))
            dpred = 2.0 * diff / xb.shape[0]
            W -= lr * (xb.T @ dpred)
            b -= lr * dpred.sum(axis=0)
            losses.append(loss)
            total += loss
        epoch_losses.append(total / -(-n // batch_size))
    return losses, epoch_losses


def hand_two_layer(params, X, y, n_epochs, batch_size, lr, seed):
    """The same loop for ``sigmoid(X @ W1 + b1) @ W2 + b2``."""
    W1, b1, W2, b2 = (params[k] for k in ("W1", "b1", "W2", "b2"))
    rng = np.random.default_rng(seed)
    n = X.shape[0]
    losses, epoch_losses = [], []
    for _ in range(n_epochs):
        order = rng.permutation(n)
        total = 0.0
        for k in range(0, n, batch_size):
            idx = order[k : k + batch_size]
            xb, yb = X[idx], y[idx]
            z1 = xb @ W1 + b1
            a1 = 1.0 / (1.0 + np.exp(-z1))
            diff = a1 @ W2 + b2 - yb
            loss = float(np.mean(diff**2))
            dpred = 2.0 * diff / xb.shape[0]
            dz1 = (dpred @ W2.T) * (a1 * (1.0 - a1))
            W2 -= lr * (a1.T @ dpred)
            b2 -= lr * dpred.sum(axis=0)
            W1 -= lr * (xb.T @ dz1)
            b1 -= lr * dz1.sum(axis=0)
            losses.append(loss)
            total += loss
        epoch_losses.append(total / -(-n // batch_size))
    return losses, epoch_losses


def seconds(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    train, _, _ = load_data()
    X, y = train[:, :-1], train[:, -1:]
    settings = {"n_epochs": args.epochs, "batch_size": args.batch_size}
    cases = [
        ("linear", lambda: LinearRegression(13, rng=0), hand_linear, 0.05),
        (
            "two-layer (13 sigmoid)",
            lambda: TwoLayerNet(13, 13, "sigmoid", rng=0),
            hand_two_layer,
            0.3,
        ),
    ]
    print(
        f"sgd vs a hand-written loop: {args.epochs} epochs, batch {args.batch_size}, "
        f"404 rows, median and min of {args.repeats} interleaved runs"
    )
    print(f"{'model':<24}{'sgd median':>12}{'hand median':>13}{'ratio':>8}{'ratio (min)':>13}")
    for name, make, hand, lr in cases:
        model, reference = make(), make()
        sgd(model, X, y, lr=lr, rng=1, **settings)
        hand(reference.params, X, y, args.epochs, args.batch_size, lr, 1)
        for key in model.params:  # the same work: the same result (to rounding: the
            # package's sigmoid is the overflow-free form, the hand loop the literal one)
            if not np.allclose(model.params[key], reference.params[key], rtol=1e-9, atol=0):
                raise SystemExit(f"{name}: sgd and the hand loop disagree on {key}")
        ours, theirs = [], []
        for _ in range(args.repeats):
            m, r = make(), make()
            ours.append(seconds(lambda m=m, lr=lr: sgd(m, X, y, lr=lr, rng=1, **settings)))
            theirs.append(
                seconds(
                    lambda r=r, h=hand, lr=lr: h(
                        r.params, X, y, args.epochs, args.batch_size, lr, 1
                    )
                )
            )
        med_o, med_t = statistics.median(ours), statistics.median(theirs)
        print(
            f"{name:<24}{med_o * 1e3:>10.1f}ms{med_t * 1e3:>11.1f}ms"
            f"{med_o / med_t:>8.2f}{min(ours) / min(theirs):>13.2f}"
        )


if __name__ == "__main__":
    main()
