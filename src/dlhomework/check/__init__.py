"""Check your own answer: run it, compare it with the book's, and name the mistake.

One function per homework, each called with the student's own code::

    from dlhomework import check
    check.two_layer(net)  # homework 1-4: the network, its gradients
    check.tanh(my_tanh)   # homework 1-7

- :func:`linear_model` (1-1 to 1-3): the course's ``Network`` with ``w``, ``b``,
  ``forward``, ``loss`` and ``gradient``;
- :func:`normalization` (1-2): ``fn(train, test)``, statistics from the training rows;
- :func:`iterations` (1-3): ``fn(n_samples, batch_size)``, the inner-loop count;
- :func:`two_layer` (1-4): a two-layer network and its hand-written gradients;
- :func:`purchase` (1-4): the apples-and-oranges graph, forward and backward;
- :func:`tanh` (1-7) and :func:`count_positive` (1-8).

Each runs the student's code on inputs it chooses and compares the results with
the package's reference implementations and with finite differences — it never
reads the source — and returns a :class:`Report`: ``passed``, and ``findings``
whose stable ``code`` names the mistake (the codes of :mod:`dlhomework.mistakes`
for the mistakes catalogued there), what it concerns (a parameter such as ``W1``,
an input such as ``x=710``), and a Chinese message saying how to fix it.  Code
that raises, returns the wrong type, NaN, or runs past ``time_limit`` is a finding,
never a crash of the check.  In Jupyter a report displays as HTML.

Teaching assistants run whole submissions with ``dlhomework check FILE...``
(:mod:`dlhomework.check.runner`): each file in its own process with time and
memory limits, every ``check.*`` call recorded.
"""

from ._counting import count_positive
from ._iterations import iterations
from ._linear import linear_model
from ._normalization import normalization
from ._purchase import purchase
from ._report import Finding, Report
from ._tanh import tanh
from ._two_layer import two_layer

__all__ = [
    "Finding",
    "Report",
    "count_positive",
    "iterations",
    "linear_model",
    "normalization",
    "purchase",
    "tanh",
    "two_layer",
]
