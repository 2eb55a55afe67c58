"""Hardened XML parsing: the only way designer XML reaches SpiffWorkflow.

lxml's defaults are safe only on recent versions (SECURITY.md §2), so we do not rely on them:
no DTD, no entities, no network, no huge trees, a size cap, and any DOCTYPE is refused outright.
"""
from __future__ import annotations

from lxml import etree

MAX_BPMN_BYTES = 2 * 1024 * 1024

if etree.LXML_VERSION < (6, 1, 3):  # older lxml resolved external parameter entities (XXE)
    raise ImportError("Vårdflöde needs lxml >= 6.1.3")


class XmlRejected(ValueError):
    """The document was refused before parsing finished; ``line`` when known."""

    def __init__(self, reason: str, line: int | None = None):
        self.reason, self.line = reason, line
        super().__init__(reason)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_pis=True, remove_comments=True,
    )


def parse(data: bytes) -> etree._ElementTree:
    """Parse untrusted XML bytes into a tree, or raise XmlRejected with a plain reason."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_BPMN_BYTES:
        raise XmlRejected(f"the file is larger than {MAX_BPMN_BYTES // 1024} KB")
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise XmlRejected("DOCTYPE and entity declarations are not allowed")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as err:
        raise XmlRejected(f"not well-formed XML ({err.msg})", err.lineno) from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise XmlRejected("DOCTYPE and entity declarations are not allowed")
    for node in root.iter():
        if isinstance(node, etree._Entity):
            raise XmlRejected("entity references are not allowed", node.sourceline)
    return tree
