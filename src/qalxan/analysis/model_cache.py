"""Shipped models loaded fast: decompressed once, then read back from a cache directory.

The language model that py3langid ships is an LZMA-compressed ``.npz`` (4.5 MB, 68 MB of
arrays); decompressing it costs about half a CPU-second at every start of ``qalxan analyze``
(and of every worker process). The first start writes the arrays, uncompressed, as ``.npy``
files in ``$XDG_CACHE_HOME/qalxan`` (``~/.cache/qalxan`` by default), in a folder named
after the SHA-256 of the compressed file, so a changed model never reads a stale cache;
later starts map them from there. The arrays are the model's, value for value, so the
identifier is the same. The folder is created readable by its owner only and written
atomically (a temporary folder renamed into place); where it cannot be written (a
read-only home) the model is loaded from the shipped file as before, every time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from py3langid.langid import MODEL_DIR, LanguageIdentifier
from py3langid.modelio import load_model

#: The arrays of a py3langid model, in ``load_model``'s order.
_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def cache_root() -> Path:
    """Where decompressed models are kept."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "qalxan"


def _digest(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _model_path(model_file: str | Path) -> Path:
    path = Path(model_file)
    return path if path.is_absolute() else Path(MODEL_DIR) / path


def langid_identifier(model_file: str | Path, norm_probs: bool = True) -> LanguageIdentifier:
    """py3langid's ``LanguageIdentifier.from_model_file``, read from the cache when the
    model was decompressed before (and written there when it was not)."""
    path = _model_path(model_file)
    folder = cache_root() / f"langid-{_digest(path)[:32]}"
    arrays = _read(folder)
    if arrays is None:
        ptc, pc, classes, nextmove, row, output = load_model(path)
        _write(folder, {"ptc": ptc, "pc": pc, "classes": np.asarray(classes),
                        "nextmove": np.frombuffer(nextmove, dtype=_dtype(nextmove.itemsize)),
                        "nextmove_row": np.frombuffer(row, dtype=_dtype(row.itemsize)),
                        "out_feat": np.asarray(output, dtype=np.int32)})
        return LanguageIdentifier(np.asarray(ptc), np.asarray(pc), classes, nextmove, output,
                                  norm_probs=norm_probs, tk_row=row)
    from py3langid.modelio import _to_array

    return LanguageIdentifier(
        arrays["ptc"], arrays["pc"], arrays["classes"].tolist(), _to_array(arrays["nextmove"]),
        arrays["out_feat"].tolist(), norm_probs=norm_probs,
        tk_row=_to_array(arrays["nextmove_row"]))


def _dtype(itemsize: int) -> np.dtype[Any]:
    """The unsigned integer type of a stdlib array's items."""
    return np.dtype(f"u{itemsize}")


def _read(folder: Path) -> dict[str, np.ndarray] | None:
    try:
        return {name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
                for name in _ARRAYS}
    except (OSError, ValueError):
        return None


def _write(folder: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write the arrays to ``folder`` atomically; nothing when the cache cannot be written."""
    with contextlib.suppress(OSError):
        folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder.parent))
        try:
            for name, array in arrays.items():
                np.save(staging / f"{name}.npy", array, allow_pickle=False)
            os.replace(staging, folder)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
            raise
