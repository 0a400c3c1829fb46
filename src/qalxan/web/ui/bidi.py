"""Text that someone else wrote, shown so that it cannot rearrange the page around it.

Unicode's bidirectional controls (the right-to-left override U+202E, embeddings, isolates,
marks) change the order in which a browser shows the characters after them: a file named
``invoice<U+202E>gnp.exe`` shows as ``invoice‮gnp.exe`` and reads "invoiceexe.png", and an
override left open in a report turns the rest of its line around. So every string a defender,
a watched account or another staff member wrote is shown isolated (``<bdi>``, or
``dir="auto"`` on its block), which keeps its direction from leaking into the page; and names
that people judge by their look (file names, links, handles) show each bidirectional control
as a visible marker such as ``⟨U+202E⟩`` instead of obeying it.
"""

from __future__ import annotations

import re

from markupsafe import Markup

# ALM, LRM, RLM; LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible_controls(text: str) -> str:
    """``text`` with each bidirectional control replaced by a visible marker."""
    return BIDI_CONTROLS.sub(lambda found: f"⟨U+{ord(found.group()):04X}⟩", text)


def isolate(value: object) -> Markup:
    """Someone else's text, escaped and isolated from the text around it."""
    return Markup("<bdi>{}</bdi>").format("" if value is None else value)


def shown_name(value: object) -> Markup:
    """A name judged by its look (file name, link, handle): isolated, with its bidirectional
    controls shown rather than obeyed."""
    text = "" if value is None else str(value)
    return Markup('<bdi class="name">{}</bdi>').format(visible_controls(text))
