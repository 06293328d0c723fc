"""dlhomework: the tested answers to homework 1-1 to 1-8 of 《零基础实践深度学习》 chapter 1.

One module per concept, used by the book's chapters (each documented on the book's
API page):

- :mod:`dlhomework.data` — the shipped Boston house-price data and the course's split;
- :mod:`dlhomework.preprocessing` — normalization fitted on training statistics (1-2);
- :mod:`dlhomework.batching` — mini-batches and how many per epoch (1-3);
- :mod:`dlhomework.layers` — layers as forward/backward pairs;
- :mod:`dlhomework.activations` — activation functions and derivatives, computed stably (1-7);
- :mod:`dlhomework.models` — linear regression and a two-layer network in NumPy;
- :mod:`dlhomework.training` — mini-batch SGD for any model;
- :mod:`dlhomework.gradcheck` — numerical gradient checks (1-3, 1-4);
- :mod:`dlhomework.graph` — computational graphs by hand (1-4);
- :mod:`dlhomework.mistakes` — deliberately wrong networks: the typical mistakes of 1-4;
- :mod:`dlhomework.accuracy` — floating-point error in ulp (1-7);
- :mod:`dlhomework.counting` — counting positive entries and their distribution (1-8);
- :mod:`dlhomework.environment` — the environment check of homework 1-5;
- :mod:`dlhomework.paddle_port` — the models in PaddlePaddle, against NumPy (1-6);
- :mod:`dlhomework.model_files` — model files (``.npz``, never unpickled);
- :mod:`dlhomework.experiments` — the experiments behind homework 1-1 to 1-3;
- :mod:`dlhomework.check` — check your own answer and name the mistake;
- :mod:`dlhomework.display` — what the chapters show: glued numbers, tables, fonts;
- :mod:`dlhomework.cli` — the ``dlhomework`` command line.

Importing the package needs only NumPy; Paddle is imported lazily where used.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
