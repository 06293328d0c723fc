"""dlhomework: the tested answers to homework 1-1 to 1-8 of 《零基础实践深度学习》 chapter 1.

One module per concept, each used by a chapter of the book:

- :mod:`dlhomework.data` — the shipped Boston house-price data and the course's split;
- :mod:`dlhomework.preprocessing` — normalization fitted on training statistics;
- :mod:`dlhomework.environment` — the environment check of homework 1-5.

Importing the package needs only NumPy; Paddle is imported lazily where used.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
