"""Handing a one-time password to the person at the keyboard, and to no log.

On a terminal the password is printed. Anywhere else (a pipe, a service's journal, a CI log,
``--json`` read by a script) it is written to a file only the owner can read, in the instance's
data directory, and only that file's path is printed. Delete the file once the
password has been used.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Handover:
    password: str | None  # printed: only when standard output is a terminal
    file: str | None  # otherwise: where it was written (mode 0600)

    def text(self) -> str:
        if self.password is not None:
            return f"one-time password (shown once, change it at first sign-in): {self.password}"
        return (f"one-time password written to {self.file} (readable by you alone; "
                "delete it once used)")


def _on_terminal() -> bool:
    return sys.stdout.isatty()


def hand_over(data_dir: Path, email: str, password: str) -> Handover:
    if _on_terminal():
        return Handover(password, None)
    from qalxan.config import ONE_TIME_PASSWORDS_FOLDER

    folder = data_dir / ONE_TIME_PASSWORDS_FOLDER
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    path = folder / (re.sub(r"[^A-Za-z0-9._@-]", "_", email) + ".txt")
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(f"{email}\n{password}\n")
    return Handover(None, str(path.resolve()))
