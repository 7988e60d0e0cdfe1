"""ADL's SCORM 1.2 schemas (``tests/scorm12``) as one lxml validator of ``imsmanifest.xml``.

libxml2 refuses two things in ADL's files as they are (``tests/scorm12/README.md``):
``ims_xml.xsd`` declares the ``xml`` namespace as its default namespace, so it is served
without that attribute; ``imsmd_rootv1p2p1.xsd`` does not compile, and trainkit's manifests
hold no IMS metadata, so the validator imports the content packaging and ADL schemas.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

SCHEMAS = Path(__file__).resolve().parents[1] / "scorm12"
_DEFAULT_XML_NAMESPACE = b' xmlns="http://www.w3.org/XML/1998/namespace"'


class _XmlNamespaceSchema(etree.Resolver):  # type: ignore[misc]
    def resolve(self, url: str, public_id: str | None, context: Any) -> Any:
        if url.endswith("ims_xml.xsd"):
            text = (SCHEMAS / "ims_xml.xsd").read_bytes().replace(_DEFAULT_XML_NAMESPACE, b"")
            return self.resolve_string(text, context)
        return None


@lru_cache(maxsize=1)
def scorm12_schema() -> Any:
    """An ``etree.XMLSchema`` for SCORM 1.2 manifests."""
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_XmlNamespaceSchema())
    imports = "".join(
        f'<xsd:import namespace="{namespace}" schemaLocation="{(SCHEMAS / name).as_uri()}"/>'
        for namespace, name in (
            ("http://www.imsproject.org/xsd/imscp_rootv1p1p2", "imscp_rootv1p1p2.xsd"),
            ("http://www.adlnet.org/xsd/adlcp_rootv1p2", "adlcp_rootv1p2.xsd")))
    wrapper = f'<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">{imports}</xsd:schema>'
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), parser))


def manifest_errors(manifest: bytes) -> list[str]:
    """What the SCORM 1.2 schemas find wrong in ``manifest`` (none: valid)."""
    schema = scorm12_schema()
    if schema.validate(etree.fromstring(manifest)):
        return []
    return [f"{error.line}: {error.message}" for error in schema.error_log]
