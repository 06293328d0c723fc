"""Calling a student's code without letting it crash, hang or spray warnings over the checker.

Every call goes through :meth:`Caller.call`, which returns an :class:`Outcome`: the
value, or the exception the code raised, or the fact that its time ran out.  On the
main thread of a POSIX system the time limit is enforced with ``SIGALRM`` (a
pure-Python ``while True:`` is interrupted; a single long call into C code is not,
it is only measured); elsewhere the calls are only timed.  Warnings raised during a
call (an overflow in ``np.exp``...) are recorded, whatever the caller's filters are.
"""

from __future__ import annotations

import math
import signal
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._report import Finding, Report, record

__all__ = [
    "Bad",
    "Caller",
    "Outcome",
    "Stop",
    "TimeLimit",
    "as_float_array",
    "close",
    "need_callable",
    "probe_text",
    "run_check",
    "shown",
]


class TimeLimit(BaseException):
    """Raised inside the student's code when the check's time is up.

    A ``BaseException``, so that the student's ``except Exception:`` does not swallow it.
    """


class Bad(Exception):
    """A student's value that cannot be used; the message says why (in Chinese)."""


class Stop(Exception):
    """Ends a check early with ``finding`` (the student's code cannot be checked further)."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


@dataclass
class Outcome:
    """What one call of the student's code gave."""

    value: Any = None
    error: BaseException | None = None
    timed_out: bool = False
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """The call returned (no exception, in time)."""
        return self.error is None and not self.timed_out


def shown(value: object, limit: int = 120) -> str:
    """A short, never-failing description of ``value`` for a message."""
    try:
        text = repr(value)
    except Exception:  # a student's __repr__ may raise
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def error_text(error: BaseException) -> str:
    """``TypeError: message``, cut short."""
    return shown_text(f"{type(error).__name__}: {error}")


def shown_text(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise TimeLimit


class Caller:
    """Calls a student's code within a total time budget.

    Parameters
    ----------
    name : str
        The check's name, for messages.
    time_limit : float
        Seconds for all the calls of one check together.
    """

    def __init__(self, name: str, time_limit: float) -> None:
        self.name = name
        self.time_limit = time_limit
        self.start = time.perf_counter()
        self.spent = 0.0
        self.warned: list[str] = []
        self.can_interrupt = (
            hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread()
            and signal.getitimer(signal.ITIMER_REAL)[0] == 0.0
        )

    @property
    def remaining(self) -> float:
        return self.time_limit - self.spent

    def call(self, fn: Callable[..., Any], *args: Any) -> Outcome:
        """``fn(*args)``, never raising (except for the user's Ctrl-C)."""
        if self.remaining <= 0:
            return Outcome(timed_out=True)
        outcome = Outcome()
        previous: Any = None
        armed = False
        t0 = time.perf_counter()
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                with np.errstate(divide="warn", over="warn", invalid="warn", under="ignore"):
                    if self.can_interrupt:
                        previous = signal.signal(signal.SIGALRM, _alarm)
                        armed = True
                        signal.setitimer(signal.ITIMER_REAL, max(self.remaining, 1e-3))
                    try:
                        outcome.value = fn(*args)
                    finally:
                        if armed:
                            signal.setitimer(signal.ITIMER_REAL, 0.0)
                            signal.signal(signal.SIGALRM, previous)
                            armed = False
            outcome.warnings = [shown_text(f"{w.category.__name__}: {w.message}") for w in caught]
        except TimeLimit:
            outcome.timed_out = True
        except (Exception, SystemExit) as error:  # the student's code failed
            outcome.error = error
        finally:
            if armed:  # TimeLimit fired between the call's return and the disarm
                signal.setitimer(signal.ITIMER_REAL, 0.0)
                signal.signal(signal.SIGALRM, previous)
        outcome.seconds = time.perf_counter() - t0
        self.spent += outcome.seconds
        if self.spent > self.time_limit:  # also when it could not be interrupted: measured
            outcome.timed_out = True
        self.warned += outcome.warnings
        return outcome

    def value(
        self, fn: Callable[..., Any], *args: Any, what: str, concerns: tuple[str, ...]
    ) -> Any:
        """``fn(*args)``; :class:`Stop` with the failure's finding if it raised or timed out."""
        outcome = self.call(fn, *args)
        if not outcome.ok:
            raise Stop(self.failure(outcome, what, concerns))
        return outcome.value

    def failure(self, outcome: Outcome, what: str, concerns: tuple[str, ...]) -> Finding:
        """The finding for a call that raised or ran out of time."""
        if outcome.timed_out:
            return Finding(
                "timeout",
                concerns,
                f"{what} 运行超过了 {self.time_limit:g} 秒的时限（本检查的所有调用合计），"
                "检查已停止：是否有死循环，或对很小的输入也做了过多计算？",
            )
        return Finding(
            "raises",
            concerns,
            f"{what} 抛出了异常 {error_text(outcome.error or RuntimeError())}；"
            "检查用的是符合题目约定的小输入，请先在这样的输入上运行你的代码，按报错修正。",
        )


def as_float_array(value: Any, what: str) -> NDArray[np.float64]:
    """``value`` as a float64 array; :class:`Bad` for what is not numbers.

    A Paddle/PyTorch tensor is converted with its ``.numpy()`` method.
    """
    if hasattr(value, "numpy") and callable(value.numpy) and not isinstance(value, np.ndarray):
        try:
            value = value.numpy()
        except Exception as error:
            raise Bad(f"{what} 无法用 .numpy() 转成数组（{error_text(error)}）") from None
    if value is None:
        raise Bad(f"{what} 是 None：是不是忘了 return？")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            arr = np.asarray(value)
    except Exception as error:
        raise Bad(f"{what} 不是数组（{error_text(error)}）") from None
    if arr.dtype.kind not in "biuf":
        raise Bad(f"{what} 应当是数值数组，得到的是 {shown(value)}（dtype {arr.dtype}）")
    return arr.astype(np.float64)


def close(a: float, b: float, rtol: float) -> bool:
    """``a`` and ``b`` equal to within the relative tolerance ``rtol`` (both finite)."""
    return (
        math.isfinite(a) and math.isfinite(b) and abs(a - b) <= rtol * max(abs(a), abs(b), 1e-300)
    )


Body = Callable[[Caller, list[Finding], list[str]], None]


def run_check(name: str, time_limit: object, body: Body) -> Report:
    """Run one check's ``body(caller, findings, details)`` and return its recorded Report.

    A :class:`Stop` ends the body with its finding; an unexpected exception (a bug of
    the checker, not of the student) becomes an ``internal_error`` finding, so that a
    student always gets a report.

    Raises
    ------
    TypeError, ValueError
        ``time_limit`` is not a positive number of seconds.
    """
    if isinstance(time_limit, bool) or not isinstance(time_limit, int | float):
        raise TypeError(f"time_limit must be a number of seconds, got {shown(time_limit)}")
    if not math.isfinite(time_limit) or time_limit <= 0:
        raise ValueError(f"time_limit must be a positive number of seconds, got {time_limit!r}")
    caller = Caller(name, float(time_limit))
    findings: list[Finding] = []
    details: list[str] = []
    try:
        body(caller, findings, details)
    except Stop as stop:
        findings.append(stop.finding)
    except Exception as error:  # pragma: no cover - a bug of the checker itself
        findings.append(
            Finding(
                "internal_error",
                (),
                f"检查程序自身出错（{error_text(error)}），不一定是你的错；"
                "请把代码和这条信息交给助教。",
            )
        )
    report = Report(name, tuple(findings), tuple(details), time.perf_counter() - caller.start)
    record(report)
    return report


def need_callable(fn: object, signature: str) -> None:
    """:class:`Stop` with ``not_callable`` unless ``fn`` can be called."""
    if not callable(fn):
        raise Stop(
            Finding(
                "not_callable",
                ("fn",),
                f"要检查的应当是一个函数 {signature}，得到的是 {shown(fn)}："
                "传入函数本身（不带括号）。",
            )
        )


def probe_text(fn_args: tuple[Any, ...]) -> str:
    """``fn(1000, 20)`` — how a finding names the call it concerns."""
    return f"fn({', '.join(shown(a, 40) for a in fn_args)})"
