"""Checks on an uploaded SCORM 1.2 package, before anything is stored: a plain function, `inspect_package`.

What a package must be (SCORM 1.2, ADL, 2001: the Content Aggregation Model's manifest, imsmanifest.xml at the
root of a zip, with the IMS Content Packaging 1.1.2 and ADL SCORM 1.2 namespaces): a real zip, whose entries
stay inside the package (no absolute path, no `..`, no symlink, no duplicate name, not encrypted), within the
limits of size, file count and compression ratio (a zip bomb) both as the central directory declares them and
as the bytes are really inflated (declared sizes are not trusted: every entry is read and its CRC checked); a
well-formed manifest naming SCORM 1.2, whose default organisation's first item launches a resource of
adlcp:scormtype "sco" whose file is in the package; and no href of the manifest pointing outside the package.
Each failure raises PackageError with a French message for the upload form's field.
"""
import posixpath
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext as _

from lms.core.zipsafe import is_encrypted, is_symlink, unsafe_member_name

MANIFEST = "imsmanifest.xml"
IMSCP_NS = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP_NS = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
XML_NS = "http://www.w3.org/XML/1998/namespace"
CHUNK = 64 * 1024
MAX_MANIFEST_BYTES = 1024 * 1024


class PackageError(ValueError):
    """The package is refused; `message` is translated and safe to show on the form."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PackageInfo:
    identifier: str
    title: str
    launch_path: str  # a file of the package
    launch_query: str  # the item's `parameters`, without "?"
    mastery_score: Decimal | None
    launch_data: str  # adlcp:datafromlms, handed to the SCO as cmi.launch_data
    max_time_allowed: str
    time_limit_action: str
    file_count: int
    uncompressed_size: int


def limits():
    """The package limits (settings, with the defaults of lms/settings/base.py)."""
    return {"bytes": settings.SCORM_MAX_PACKAGE_BYTES, "uncompressed": settings.SCORM_MAX_UNCOMPRESSED_BYTES,
            "files": settings.SCORM_MAX_FILES, "ratio": settings.SCORM_MAX_COMPRESSION_RATIO}


def megabytes(size):
    return f"{size / (1024 * 1024):.0f}"


def safe_member_name(name):
    """The entry's name if it stays inside the package (lms.core.zipsafe.unsafe_member_name), else None."""
    return None if unsafe_member_name(name) else name


def _check_entries(archive, limit):
    infos = archive.infolist()
    if len(infos) > limit["files"]:
        raise PackageError(_("The package holds %(count)s files; at most %(max)s are accepted.")
                           % {"count": len(infos), "max": limit["files"]})
    seen = set()
    declared = 0
    for info in infos:
        if safe_member_name(info.filename) is None:
            raise PackageError(_("The package holds a path leaving the package (“%(name)s”): absolute paths and “..” "
                                 "are refused.") % {"name": info.filename[:200]})
        if is_symlink(info):
            raise PackageError(_("The package holds a symbolic link (“%(name)s”): links are refused.")
                               % {"name": info.filename[:200]})
        if is_encrypted(info):
            raise PackageError(_("The package holds an encrypted file (“%(name)s”).") % {"name": info.filename[:200]})
        key = info.filename.rstrip("/").lower()
        if key in seen:
            raise PackageError(_("The package holds the name “%(name)s” twice.") % {"name": info.filename[:200]})
        seen.add(key)
        declared += info.file_size
        if declared > limit["uncompressed"]:
            raise PackageError(_("Uncompressed, the package would exceed %(max)s MB.")
                               % {"max": megabytes(limit["uncompressed"])})
        if info.file_size > CHUNK and info.file_size > limit["ratio"] * max(info.compress_size, 1):
            raise PackageError(_("The file “%(name)s” is compressed more than %(ratio)s times: the package looks like "
                                 "a zip bomb.") % {"name": info.filename[:200], "ratio": limit["ratio"]})
    return infos


def _read_entries(archive, infos, limit):
    """Inflate every entry, counting the real bytes (a lying central directory cannot hide a bomb); zipfile checks
    each entry's CRC at its end."""
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        size = 0
        try:
            with archive.open(info) as handle:
                while chunk := handle.read(CHUNK):
                    size += len(chunk)
                    total += len(chunk)
                    if total > limit["uncompressed"]:
                        raise PackageError(_("Uncompressed, the package would exceed %(max)s MB.")
                                           % {"max": megabytes(limit["uncompressed"])})
                    if size > CHUNK and size > limit["ratio"] * max(info.compress_size, 1):
                        raise PackageError(_("The file “%(name)s” is compressed more than %(ratio)s times: the "
                                             "package looks like a zip bomb.")
                                           % {"name": info.filename[:200], "ratio": limit["ratio"]})
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as error:
            raise PackageError(_("The file “%(name)s” of the package is damaged or uses an unsupported "
                                 "compression.") % {"name": info.filename[:200]}) from error
    return total


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _outside(href):
    """Whether a manifest href leaves the package: a URL with a scheme or a host, an absolute path, or `..`."""
    parts = urlsplit(href.strip())
    if parts.scheme or parts.netloc or href.strip().startswith(("/", "\\")):
        return True
    path = parts.path
    return "\\" in path or ".." in path.split("/")


def _join(base, href):
    return posixpath.normpath(posixpath.join(base, urlsplit(href).path)) if base else posixpath.normpath(
        urlsplit(href).path)


def _text(element, name, ns=IMSCP_NS):
    found = element.find(f"{{{ns}}}{name}") if element is not None else None
    return (found.text or "").strip() if found is not None else ""


def _decimal(text):
    try:
        value = Decimal(text)
    except (InvalidOperation, TypeError):
        return None
    return value if value.is_finite() and 0 <= value <= 100 else None


def _first_launchable(item):
    """The first item (depth first) that names a resource."""
    if item.get("identifierref"):
        return item
    for child in item.findall(f"{{{IMSCP_NS}}}item"):
        found = _first_launchable(child)
        if found is not None:
            return found
    return None


def _parse_manifest(data, names):
    try:
        root = ElementTree.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as error:
        raise PackageError(_("The manifest imsmanifest.xml is not well-formed XML.")) from error
    if root.tag != f"{{{IMSCP_NS}}}manifest":
        raise PackageError(_("The manifest is not a SCORM 1.2 manifest (IMS Content Packaging 1.1.2 namespace "
                             "expected). SCORM 2004 and other formats are not accepted."))
    version = _text(root.find(f"{{{IMSCP_NS}}}metadata"), "schemaversion")
    if version and version != "1.2":
        raise PackageError(_("The manifest declares the version “%(version)s”; only SCORM 1.2 is accepted.")
                           % {"version": version[:50]})
    uses_adlcp = any(key.startswith(f"{{{ADLCP_NS}}}") for element in root.iter() for key in element.attrib)
    if not version and not uses_adlcp:
        raise PackageError(_("The manifest does not declare SCORM 1.2 (schemaversion 1.2 or the ADL SCORM 1.2 "
                             "namespace)."))
    resources_element = root.find(f"{{{IMSCP_NS}}}resources")
    resources_base = (resources_element.get(f"{{{XML_NS}}}base") or "") if resources_element is not None else ""
    resources = {}
    for resource in root.iter(f"{{{IMSCP_NS}}}resource"):
        base = resources_base + (resource.get(f"{{{XML_NS}}}base") or "")
        hrefs = [resource.get("href") or ""] + [file.get("href") or "" for file in resource.findall(f"{{{IMSCP_NS}}}file")]
        for href in [base, *hrefs]:
            if href and _outside(href):
                raise PackageError(_("The manifest points outside the package (“%(href)s”): every file must be "
                                     "inside it.") % {"href": href[:200]})
        resources[resource.get("identifier")] = (resource, base)
    organizations = root.find(f"{{{IMSCP_NS}}}organizations")
    orgs = organizations.findall(f"{{{IMSCP_NS}}}organization") if organizations is not None else []
    default = organizations.get("default") if organizations is not None else None
    organization = next((o for o in orgs if o.get("identifier") == default), orgs[0] if orgs else None)
    item = None
    if organization is not None:
        for child in organization.findall(f"{{{IMSCP_NS}}}item"):
            item = _first_launchable(child)
            if item is not None:
                break
    if item is None:
        raise PackageError(_("The manifest's organisation has no item to launch."))
    resource, base = resources.get(item.get("identifierref"), (None, ""))
    if resource is None:
        raise PackageError(_("The manifest's first item names a resource that does not exist."))
    scorm_type = (resource.get(f"{{{ADLCP_NS}}}scormtype") or resource.get(f"{{{ADLCP_NS}}}scormType") or "").lower()
    if scorm_type != "sco":
        raise PackageError(_("The first item's resource is not a SCO (adlcp:scormtype “sco” expected)."))
    href = resource.get("href") or ""
    if not href:
        raise PackageError(_("The first item's resource has no launch file (href)."))
    launch_path = _join(base, href)
    if launch_path.startswith("..") or launch_path not in names:
        raise PackageError(_("The launch file “%(href)s” is not in the package.") % {"href": launch_path[:200]})
    parameters = (item.get("parameters") or "").lstrip("?")
    query = "&".join(part for part in (urlsplit(href).query, parameters) if part)
    title = _text(organization, "title") or _text(item, "title") or (root.get("identifier") or "")
    return PackageInfo(
        identifier=(root.get("identifier") or "")[:255], title=title[:255], launch_path=launch_path,
        launch_query=query[:1000], mastery_score=_decimal(_text(item, "masteryscore", ADLCP_NS)),
        launch_data=_text(item, "datafromlms", ADLCP_NS)[:4096],
        max_time_allowed=_text(item, "maxtimeallowed", ADLCP_NS)[:20],
        time_limit_action=_text(item, "timelimitaction", ADLCP_NS)[:30], file_count=0, uncompressed_size=0)


def inspect_package(upload):
    """The PackageInfo of an uploaded zip (a file object, read from its start), or PackageError."""
    limit = limits()
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    if size > limit["bytes"]:
        raise PackageError(_("The package weighs %(size)s MB; at most %(max)s MB are accepted.")
                           % {"size": megabytes(size), "max": megabytes(limit["bytes"])})
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise PackageError(_("The file is not a zip archive.")) from error
    with archive:
        infos = _check_entries(archive, limit)
        names = {info.filename for info in infos if not info.is_dir()}
        if MANIFEST not in names:
            raise PackageError(_("The package has no imsmanifest.xml at its root: is it a SCORM package?"))
        total = _read_entries(archive, infos, limit)
        manifest = archive.getinfo(MANIFEST)
        if manifest.file_size > MAX_MANIFEST_BYTES:
            raise PackageError(_("The manifest imsmanifest.xml is too large."))
        info = _parse_manifest(archive.read(MANIFEST), names)
    upload.seek(0)
    return PackageInfo(**{**info.__dict__, "file_count": len(names), "uncompressed_size": total})
