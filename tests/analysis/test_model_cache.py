"""The language model decompressed once and read back from the cache: same identifier."""

from __future__ import annotations

import stat
from pathlib import Path

import numpy as np
import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from qalxan.analysis import model_cache

TEXTS = ("Bu gün məhkəmədə iclas var, dəstək üçün gəlin.", "Merci pour votre soutien.",
         "Спасибо всем за поддержку", "Gracias por vuestro apoyo, seguimos adelante.")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "qalxan"


def _same(cached: LanguageIdentifier, shipped: LanguageIdentifier) -> None:
    assert np.array_equal(cached.nb_ptc, shipped.nb_ptc)
    assert np.array_equal(cached.nb_pc, shipped.nb_pc)
    assert cached.nb_classes == shipped.nb_classes
    assert cached.tk_nextmove == shipped.tk_nextmove and cached.tk_row == shipped.tk_row
    assert cached.tk_output == shipped.tk_output
    for text in TEXTS:
        assert cached.rank(text)[:3] == shipped.rank(text)[:3]


def test_the_cached_model_is_the_shipped_model(cache: Path) -> None:
    """The first load writes the decompressed arrays (owner only); the second reads them
    back, and both identify languages exactly as the shipped file does."""
    shipped = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    first = model_cache.langid_identifier(MODEL_FILE)
    (folder,) = cache.glob("langid-*")
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert {p.name for p in folder.iterdir()} == {f"{n}.npy" for n in model_cache._ARRAYS}
    assert not list(cache.glob(".staging-*"))
    second = model_cache.langid_identifier(MODEL_FILE)
    assert isinstance(second.nb_ptc, np.memmap)  # read back, not decompressed again
    _same(first, shipped)
    _same(second, shipped)


def test_a_damaged_cache_is_replaced_by_the_shipped_model(cache: Path) -> None:
    model_cache.langid_identifier(MODEL_FILE)
    (folder,) = cache.glob("langid-*")
    (folder / "ptc.npy").write_bytes(b"not an array")
    shipped = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    _same(model_cache.langid_identifier(MODEL_FILE), shipped)


def test_without_a_writable_cache_the_model_still_loads(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    shipped = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    _same(model_cache.langid_identifier(MODEL_FILE), shipped)
    assert blocked.is_file()
