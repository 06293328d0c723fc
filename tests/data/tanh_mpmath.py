"""The mpmath reference of tests/test_activations.py's dense tanh sample, precomputed.

The sample: about 172 000 float64 magnitudes across every regime of tanh (subnormal,
tiny, moderate, around the branch point 0.75, saturating, huge, every power of two),
drawn from a fixed seed by :func:`dense_magnitudes`.  Its reference: tanh at 160 bits
as a double-double ``hi + lo`` (``hi`` the correctly rounded float64).  mpmath takes
about 1.5 s for it, 4.5 s under coverage; the test suite reads it from
``tanh_mpmath.npz`` instead (and checks a part of it against mpmath itself).

Stored: ``hi`` as the difference of its bits from those of ``x`` (int64: 0 where tanh
rounds to x itself, which compresses), ``lo`` in units of ``spacing(hi)`` (float32:
exact to 1e-7 of an ulp) and the SHA-256 of the sample's bytes.  If NumPy ever draws
a different sample from the seed, :func:`load` computes the reference with mpmath.

Usage::

    python tests/data/tanh_mpmath.py            # write tanh_mpmath.npz
    python tests/data/tanh_mpmath.py --verify   # recompute with mpmath and compare
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np

STORED = Path(__file__).with_suffix(".npz")
SIZE, SEED = 200_000, 57


def dense_magnitudes(n: int, seed: int) -> np.ndarray:
    """|x| across every regime: subnormal, tiny, moderate, near the branch point, huge."""
    gen = np.random.default_rng(seed)
    parts = [
        10.0 ** gen.uniform(-323.3, -300, n // 20),  # subnormals and the smallest normals
        10.0 ** gen.uniform(-300, -5, n // 5),  # tiny: 1 - exp(-2x) cancels completely
        10.0 ** gen.uniform(-5, 0, n // 5),  # small to moderate
        gen.uniform(0.0, 2.0, n // 5),  # the continued fraction and the branch point 0.75
        gen.uniform(0.7, 0.8, n // 20),  # around the branch point, densely
        gen.uniform(2.0, 25.0, n // 10),  # saturating: tanh rounds to 1 from 19.06
        10.0 ** gen.uniform(np.log10(25), 308.2, n // 20),  # huge
        np.ldexp(1.0, np.arange(-1074, 1024)),  # every power of two
        np.nextafter(np.array([0.75, 19.0, 354.9, 709.78, 710.0]), np.inf),
        np.nextafter(np.array([0.75, 19.0, 354.9, 709.78, 710.0]), 0.0),
    ]
    return np.concatenate(parts)


def mpmath_tanh(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """tanh at 160 bits as ``hi + lo`` (float64 each)."""
    import mpmath

    ctx = mpmath.MPContext()
    ctx.prec = 160
    hi, lo = np.empty(x.size), np.empty(x.size)
    for i, v in enumerate(x.tolist()):
        exact = ctx.tanh(ctx.mpf(v))
        hi[i] = float(exact)
        lo[i] = float(exact - ctx.mpf(hi[i]))
    return hi, lo


def _digest(x: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(x, dtype="<f8").tobytes()).hexdigest()


def _encode(x: np.ndarray, hi: np.ndarray, lo: np.ndarray) -> dict[str, np.ndarray]:
    return {
        "hi_minus_x_bits": hi.view(np.int64) - x.view(np.int64),
        "lo_in_ulps": (lo / np.spacing(np.abs(hi))).astype(np.float32),
        "sha256": np.array(_digest(x)),
    }


def _decode(x: np.ndarray, stored: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    hi = (x.view(np.int64) + stored["hi_minus_x_bits"]).view(np.float64)
    lo = stored["lo_in_ulps"].astype(np.float64) * np.spacing(np.abs(hi))
    return hi, lo


def load() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sample's magnitudes ``x`` and their reference ``hi``, ``lo``."""
    x = dense_magnitudes(SIZE, SEED)
    with np.load(STORED) as data:
        stored = {name: data[name] for name in data.files}
    if str(stored["sha256"]) != _digest(x):  # NumPy drew another sample: compute it
        return (x, *mpmath_tanh(x))
    return (x, *_decode(x, stored))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verify", action="store_true", help="compare with mpmath")
    args = parser.parse_args()
    x = dense_magnitudes(SIZE, SEED)
    hi, lo = mpmath_tanh(x)
    if not args.verify:
        np.savez_compressed(STORED, **_encode(x, hi, lo))
        print(f"wrote {STORED.name}: {x.size} points, {STORED.stat().st_size} bytes")
        return 0
    _, stored_hi, stored_lo = load()
    same_hi = np.array_equal(stored_hi, hi)
    worst_lo = float(np.max(np.abs(stored_lo - lo) / np.spacing(np.abs(hi))))
    verdict = "identical" if same_hi else "DIFFERENT"
    print(f"{x.size} points: hi {verdict}, lo within {worst_lo:.1e} ulp")
    return 0 if same_hi and worst_lo < 1e-6 else 1


if __name__ == "__main__":
    sys.exit(main())
