"""In a real browser: a right-to-left override in a file name cannot disguise it, nor turn
the rest of its line around (review finding 19a)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import PNG, next_step
from tests.browser.instance import Instance

pytestmark = pytest.mark.browser

SPOOFED = "invoice\u202egnp.exe"
# the x position of each character of the first text node under an element, in DOM order
CHARACTER_XS = """element => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const node = walker.nextNode();
  const xs = [];
  for (let i = 0; i < node.length; i++) {
    const range = document.createRange();
    range.setStart(node, i); range.setEnd(node, i + 1);
    xs.push(range.getBoundingClientRect().x);
  }
  return xs;
}"""


# the right edge of the file's link, and the x of the first letter of the text after it
TEXT_AFTER_THE_LINK = """element => {
  const link = element.closest('a');
  let node = link.nextSibling;
  while (node && (node.nodeType !== Node.TEXT_NODE || !node.data.trim())) node = node.nextSibling;
  if (!node) return [link.getBoundingClientRect().right, null];
  const at = node.data.search(/\\S/);
  const range = document.createRange();
  range.setStart(node, at); range.setEnd(node, at + 1);
  return [link.getBoundingClientRect().right, range.getBoundingClientRect().x];
}"""


def _report_with_a_spoofed_file(page: Any, url: str) -> None:
    page.goto(f"{url}/report")
    page.fill("#what_happened", "Someone sent me this invoice and then threatened me.")
    for _ in range(3):
        next_step(page)
    page.set_input_files("#files", files=[{"name": SPOOFED, "mimeType": "image/png",
                                           "buffer": PNG}])
    next_step(page, "send")


def test_a_spoofed_file_name_reads_in_its_real_order_on_the_case_page(
        browser: Any, qalxan: Instance, staff_state: dict[str, Any]) -> None:
    """Review finding 19a: the file name's characters are laid out left to right in the
    order they were written (the override shown as a marker), and the text after the name
    on its line stays after it."""
    defender = browser.new_context(java_script_enabled=False)
    _report_with_a_spoofed_file(defender.new_page(), qalxan.url)
    defender.close()
    context = browser.new_context(storage_state=staff_state, viewport={"width": 1200,
                                                                         "height": 900})
    page = context.new_page()
    page.goto(f"{qalxan.url}/cases")
    links = [a.get_attribute("href") for a in page.locator("table.queue tbody a").all()]
    name = None
    for href in links:
        page.goto(f"{qalxan.url}{href}")
        found = page.locator("#evidence a[download]", has_text="invoice")
        if found.count() and "invoice" in (found.first.text_content() or ""):
            name = found.first
            break
    assert name is not None, "the case with the spoofed file was not found"
    assert name.inner_text() == "invoice⟨U+202E⟩gnp.exe"
    xs = name.evaluate(CHARACTER_XS)
    assert xs == sorted(xs), "the name's characters are not laid out in their own order"
    link_right, after = name.evaluate(TEXT_AFTER_THE_LINK)
    assert after is not None and after >= link_right - 1, (link_right, after)
    context.close()
