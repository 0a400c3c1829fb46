"""Writing a detection as GraphML: accounts as nodes, one directed edge per network.

Nodes carry the account's name, community and number of coordinated posts; each edge its
network kind and weight (how many of the source's posts the target matched). The graph
carries the window, the minimum weight and the label "coordinated" with its review status.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path

from qalxan.monitoring.campaigns.networks import Network
from qalxan.monitoring.campaigns.summary import LABEL, REVIEW

_NS = "http://graphml.graphdrawing.org/xmlns"
_KEYS = (
    ("g_label", "graph", "label", "string"),
    ("g_review", "graph", "review", "string"),
    ("g_window", "graph", "window_seconds", "double"),
    ("g_min_weight", "graph", "min_weight", "int"),
    ("n_label", "node", "label", "string"),
    ("n_community", "node", "community", "int"),
    ("n_posts", "node", "coordinated_posts", "int"),
    ("e_network", "edge", "network", "string"),
    ("e_weight", "edge", "weight", "int"),
)


def _data(parent: ET.Element, key: str, value: object) -> None:
    ET.SubElement(parent, "data", key=key).text = str(value)


def graphml_tree(networks: Sequence[Network], membership: Mapping[str, int],
                 names: Mapping[str, str], posts: Mapping[str, int],
                 settings: tuple[float, int]) -> ET.ElementTree[ET.Element]:
    """The GraphML document; ``settings`` is (window seconds, minimum weight)."""
    root = ET.Element("graphml", xmlns=_NS)
    for ident, domain, name, kind in _KEYS:
        ET.SubElement(root, "key", {"id": ident, "for": domain, "attr.name": name,
                                    "attr.type": kind})
    graph = ET.SubElement(root, "graph", id="coordination", edgedefault="directed")
    for key, value in zip(("g_label", "g_review", "g_window", "g_min_weight"),
                          (LABEL, REVIEW, *settings), strict=True):
        _data(graph, key, value)
    for account in sorted(membership):
        node = ET.SubElement(graph, "node", id=account)
        _data(node, "n_label", names.get(account, account))
        _data(node, "n_community", membership[account])
        _data(node, "n_posts", posts.get(account, 0))
    for network in networks:
        for (a, b), weight in sorted(network.edges.items()):
            edge = ET.SubElement(graph, "edge", source=a, target=b)
            _data(edge, "e_network", network.kind)
            _data(edge, "e_weight", weight)
    return ET.ElementTree(root)


def write_graphml(path: Path, tree: ET.ElementTree[ET.Element]) -> None:
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)
