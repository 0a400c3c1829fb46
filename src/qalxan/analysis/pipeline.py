"""The analysis pipeline: detectors over batches, then the escalation rules.

``analyse_messages`` is what the platform calls, and what a Ray job calls per batch
(``map_batches``). Detectors are created once per process and cached; ``analyse_stream``
runs the same function over a worker pool (``concurrent.futures``), each worker
constructing its detectors once in its initializer.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import islice, repeat
from typing import cast

from qalxan.analysis.builtin import load_builtin_detectors
from qalxan.analysis.message import AnalysisContext, Finding, Message
from qalxan.analysis.registry import Detector
from qalxan.analysis.risk import assess

LANGUAGE_DETECTOR = "language"
UNDETERMINED = "und"
DEFAULT_BATCH_SIZE = 256


@dataclass(frozen=True, slots=True)
class MessageAnalysis:
    """Everything the engine found in one message."""

    findings: tuple[Finding, ...]
    physical_risk: bool
    risk_rules: tuple[str, ...]
    language: str | None  # ``und`` when identified as undetermined; None when not identified


_detectors: dict[str, Detector] = {}


def available_detectors() -> list[str]:
    """Names of the registered detectors (built-ins and allowed plugins)."""
    return load_builtin_detectors().names()


def get_detector(name: str) -> Detector:
    """The process-wide instance of a detector, created on first use."""
    detector = _detectors.get(name)
    if detector is None:
        detector = load_builtin_detectors().create(name)
        _detectors[name] = detector
    return detector


LanguageFunction = Callable[[Sequence[str]], Sequence[object]]


@lru_cache(maxsize=1)
def language_function() -> LanguageFunction | None:
    """Language identification for a list of texts: ``detect_languages`` of the language
    detector module (one pass of the model over the whole batch), else its per-text
    ``detect_language``; None when the module is not installed. Loaded on first use, so
    importing the pipeline stays cheap."""
    try:
        module = importlib.import_module("qalxan.analysis.detectors.language")
    except ModuleNotFoundError:
        return None
    batch = getattr(module, "detect_languages", None)
    if callable(batch):
        return cast(LanguageFunction, batch)
    single = getattr(module, "detect_language", None)
    if not callable(single):
        return None
    return lambda texts: [single(text) for text in texts]


def _code(result: object) -> str:
    lang = result[0] if isinstance(result, tuple) else result
    return lang if isinstance(lang, str) and lang else UNDETERMINED


def languages_of(messages: Sequence[Message]) -> list[str | None]:
    """Each message's language: as given, else detected (``und`` when the text is too
    short or has no letters to tell; None only when no identification is installed). The
    messages without one are identified together, in one call."""
    langs = [m.lang or None for m in messages]
    todo = [i for i, lang in enumerate(langs) if lang is None]
    detect = language_function() if todo else None
    if detect is not None:
        for i, result in zip(todo, detect([messages[i].text for i in todo]), strict=True):
            langs[i] = _code(result)
    return langs


def language_of(message: Message) -> str | None:
    """The message's language: as given, else detected (``und`` when undetermined)."""
    return languages_of([message])[0]


def _names(detectors: Sequence[str] | None) -> list[str]:
    return list(detectors) if detectors is not None else available_detectors()


def analyse_messages(
    messages: Sequence[Message],
    context: AnalysisContext = AnalysisContext(),  # noqa: B008 (frozen, immutable)
    detectors: Sequence[str] | None = None,
) -> list[MessageAnalysis]:
    """Run the detectors (default: all registered) and the escalation rules. Language
    identification runs when the ``language`` detector is selected (as by default);
    otherwise a message's language is the one it comes with."""
    identify = detectors is None or LANGUAGE_DETECTOR in detectors
    languages = languages_of(messages) if identify else [m.lang for m in messages]
    batch = [  # detectors see an undetermined language as none given
        m if m.lang or not lang or lang == UNDETERMINED else replace(m, lang=lang)
        for m, lang in zip(messages, languages, strict=True)
    ]
    found: list[list[Finding]] = [[] for _ in batch]
    for name in _names(detectors):
        if name == LANGUAGE_DETECTOR:
            continue
        results = get_detector(name).detect(batch, context)
        if len(results) != len(batch):
            raise RuntimeError(
                f"detector {name!r} returned {len(results)} results for {len(batch)}"
            )
        for acc, findings in zip(found, results, strict=True):
            acc.extend(findings)
    return [
        _conclude(m, f, lang, context) for m, f, lang in zip(batch, found, languages, strict=True)
    ]


def _conclude(
    message: Message, findings: list[Finding], language: str | None, context: AnalysisContext
) -> MessageAnalysis:
    risk = assess(message, findings, context)
    return MessageAnalysis((*findings, *risk.findings), risk.physical_risk, risk.rules, language)


def batched(messages: Iterable[Message], size: int) -> Iterator[list[Message]]:
    iterator = iter(messages)
    while chunk := list(islice(iterator, size)):
        yield chunk


def load_detectors(names: Sequence[str]) -> None:
    """Build the named detectors in this process (a pool worker, a Ray actor)."""
    for name in names:
        get_detector(name)


def _run_batch(
    batch: list[Message], context: AnalysisContext, names: list[str]
) -> list[MessageAnalysis]:
    return analyse_messages(batch, context, names)


def analyse_stream(
    messages: Iterable[Message],
    context: AnalysisContext = AnalysisContext(),  # noqa: B008
    detectors: Sequence[str] | None = None,
    workers: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> Iterator[MessageAnalysis]:
    """Analyse a stream in batches, in order; ``workers > 1`` uses a process pool."""
    names = _names(detectors)
    batches = batched(messages, batch_size)
    if workers <= 1:
        for batch in batches:
            yield from analyse_messages(batch, context, names)
        return
    with ProcessPoolExecutor(workers, initializer=load_detectors, initargs=(names,)) as pool:
        for results in pool.map(_run_batch, batches, repeat(context), repeat(names)):
            yield from results
