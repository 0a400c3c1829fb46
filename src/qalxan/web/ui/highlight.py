"""Marking the words that triggered a finding: ``<mark>`` around each span, all else escaped."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from markupsafe import Markup, escape

CONTEXT = 40  # characters shown either side of a span in an excerpt
Span = tuple[int, int]


def _clean(spans: Iterable[Sequence[int]], length: int) -> list[Span]:
    """Spans clamped to the text, sorted, overlapping ones merged; empty ones dropped."""
    clamped = sorted((max(0, int(s[0])), min(length, int(s[1]))) for s in spans if len(s) == 2)
    merged: list[Span] = []
    for start, end in clamped:
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _marked(text: str, spans: list[Span], start: int, end: int) -> Markup:
    parts: list[str] = []
    position = start
    for s_start, s_end in spans:
        parts.append(escape(text[position:s_start]))
        parts.append(Markup("<mark>%s</mark>") % text[s_start:s_end])
        position = s_end
    parts.append(escape(text[position:end]))
    return Markup("").join(parts)


def highlight(text: str | None, spans: Iterable[Sequence[int]] = ()) -> Markup:
    """The whole text, escaped, with every span marked."""
    text = text or ""
    return _marked(text, _clean(spans, len(text)), 0, len(text))


def _clusters(spans: list[Span]) -> list[list[Span]]:
    """Spans close enough to share one excerpt, together."""
    groups: list[list[Span]] = []
    for span in spans:
        if groups and span[0] - groups[-1][-1][1] <= 2 * CONTEXT:
            groups[-1].append(span)
        else:
            groups.append([span])
    return groups


def _word_edges(text: str, left: int, right: int, first: int, last: int) -> Span:
    """Move an excerpt's edges inward to the nearest space, so that no word is cut in two;
    where no space lies between an edge and the marked words (one long word, or a script
    written without spaces) the edge stays where it was."""
    if left > 0 and not text[left - 1].isspace():
        space = next((i for i in range(left, first) if text[i].isspace()), None)
        left = space + 1 if space is not None else left
    if right < len(text) and not text[right].isspace():
        space = next((i for i in range(right - 1, last - 1, -1) if text[i].isspace()), None)
        right = space if space is not None else right
    return left, right


def excerpts(text: str | None, spans: Iterable[Sequence[int]] = ()) -> list[Markup]:
    """Short excerpts around the spans (nearby spans share one), with the words marked."""
    text = text or ""
    result = []
    for group in _clusters(_clean(spans, len(text))):
        left, right = _word_edges(text, max(0, group[0][0] - CONTEXT),
                                  min(len(text), group[-1][1] + CONTEXT), group[0][0],
                                  group[-1][1])
        before = Markup("…") if left > 0 else Markup("")
        after = Markup("…") if right < len(text) else Markup("")
        result.append(before + _marked(text, group, left, right) + after)
    return result
