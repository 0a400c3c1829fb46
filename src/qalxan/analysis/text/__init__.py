"""Text utilities for detectors: normalisation, script detection and transliteration.

Every transformation returns a :class:`MappedText`, so a match in normalised or
transliterated text maps back to a span of the original message.
"""

from qalxan.analysis.text.mapped import MappedText, remap
from qalxan.analysis.text.normalise import normalise, normalise_text, normalise_texts
from qalxan.analysis.text.script import char_script, dominant_script, is_mixed_script, script_counts
from qalxan.analysis.text.translit import (
    match_key,
    match_keys,
    to_cyrillic,
    to_latin,
    transliterate,
)

__all__ = [
    "MappedText",
    "char_script",
    "dominant_script",
    "is_mixed_script",
    "match_key",
    "match_keys",
    "normalise",
    "normalise_text",
    "normalise_texts",
    "remap",
    "script_counts",
    "to_cyrillic",
    "to_latin",
    "transliterate",
]
