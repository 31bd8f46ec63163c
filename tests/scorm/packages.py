"""SCORM 1.2 packages built in memory for the tests: real zips, a real imsmanifest.xml (IMS CP 1.1.2 + ADL SCORM
1.2 namespaces) and SCOs whose own JavaScript finds window.parent.API and calls it, as authoring tools' SCOs do.

SCOs: "complete" (status completed, score 90), "fail" (score 40 under the mastery score 80, status failed by the
LMS), "suspend" (first launch: location and suspend data, exit "suspend"; relaunched with entry "resume": shows
the values it gets back, then completes). Hostile packages: see the functions below the SCOs.
"""
import io
import stat
import warnings
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{identifier}" version="1.0"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <metadata><schema>ADL SCORM</schema><schemaversion>{version}</schemaversion></metadata>
  <organizations default="ORG-1">
    <organization identifier="ORG-1">
      <title>{title}</title>
      <item identifier="ITEM-1" identifierref="RES-1" isvisible="true">
        <title>{title}</title>{mastery}
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES-1" type="webcontent" adlcp:scormtype="{scormtype}" href="{href}">
      <file href="{href}"/>{extra_files}
    </resource>
  </resources>
</manifest>
"""

PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main><h1>{title}</h1><p id="out">…</p></main><script src="sco.js"></script></body></html>
"""

# The SCO's own script: finds the API in its parent (SCORM 1.2 RTE 3.3.6.1), then plays its scenario.
SCO_JS = """
(function () {
  function findAPI(win) { var n = 0; while (!win.API && win.parent && win.parent !== win && n < 7) { win = win.parent; n++; } return win.API; }
  var API = findAPI(window);
  var out = document.getElementById("out");
  function log(text) { out.textContent = text; document.title = text; }
  if (!API) { log("NO-API"); return; }
  API.LMSInitialize("");
  var entry = API.LMSGetValue("cmi.core.entry");
  %s
})();
"""

SCENARIOS = {
    "complete": """
  API.LMSSetValue("cmi.core.lesson_location", "page-3");
  API.LMSSetValue("cmi.core.score.raw", "90");
  API.LMSSetValue("cmi.interactions.0.id", "q1");
  API.LMSSetValue("cmi.interactions.0.type", "choice");
  API.LMSSetValue("cmi.interactions.0.student_response", "b");
  API.LMSSetValue("cmi.interactions.0.result", "correct");
  API.LMSSetValue("cmi.core.lesson_status", "completed");
  API.LMSSetValue("cmi.core.session_time", "0000:00:05");
  API.LMSCommit("");
  API.LMSFinish("");
  log("DONE " + API.LMSGetLastError());
""",
    "fail": """
  API.LMSSetValue("cmi.core.score.raw", "40");
  API.LMSSetValue("cmi.core.lesson_status", "completed");
  API.LMSSetValue("cmi.core.session_time", "0000:00:03");
  API.LMSFinish("");
  log("FAILED-SENT");
""",
    "suspend": """
  if (entry === "resume") {
    log("RESUMED " + API.LMSGetValue("cmi.core.lesson_location") + " " + API.LMSGetValue("cmi.suspend_data"));
    API.LMSSetValue("cmi.core.lesson_status", "passed");
    API.LMSSetValue("cmi.core.session_time", "0000:00:02");
    API.LMSFinish("");
  } else {
    API.LMSSetValue("cmi.core.lesson_location", "chapitre-2");
    API.LMSSetValue("cmi.suspend_data", "reponses=a,b,c");
    API.LMSSetValue("cmi.core.lesson_status", "incomplete");
    API.LMSSetValue("cmi.core.exit", "suspend");
    API.LMSSetValue("cmi.core.session_time", "0000:00:04");
    API.LMSFinish("");
    log("SUSPENDED " + entry);
  }
""",
    "hostile": """
  var codes = [];
  API.LMSSetValue("cmi.core.lesson_status", "completed"); codes.push(API.LMSGetLastError());
  API.LMSInitialize(""); API.LMSInitialize(""); codes.push(API.LMSGetLastError());
  API.LMSSetValue("cmi.core.student_id", "x"); codes.push(API.LMSGetLastError());
  API.LMSGetValue("cmi.core.exit"); codes.push(API.LMSGetLastError());
  API.LMSSetValue("cmi.suspend_data", new Array(5000).join("x")); codes.push(API.LMSGetLastError());
  API.LMSSetValue("cmi.core.score.raw", "1e9"); codes.push(API.LMSGetLastError());
  API.LMSSetValue("cmi.interactions.5.id", "q"); codes.push(API.LMSGetLastError());
  API.LMSSetValue("cmi.core._children", "x"); codes.push(API.LMSGetLastError());
  API.LMSFinish(""); API.LMSSetValue("cmi.core.lesson_location", "x"); codes.push(API.LMSGetLastError());
  log("CODES " + codes.join(","));
""",
}


def zip_bytes(files, *, symlinks=(), compression=zipfile.ZIP_DEFLATED):
    """A zip of {name: bytes or str}; `symlinks`: names stored as Unix symbolic links."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = compression
            if name in symlinks:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def manifest(*, title="Les constantes vitales", version="1.2", scormtype="sco", href="index.html", mastery=None,
             extra_files=(), identifier="MANIFEST-TEST"):
    return MANIFEST.format(
        identifier=identifier, title=title, version=version, scormtype=scormtype, href=href,
        mastery=f"\n        <adlcp:masteryscore>{mastery}</adlcp:masteryscore>" if mastery is not None else "",
        extra_files="".join(f'\n      <file href="{name}"/>' for name in extra_files))


def sco_files(scenario, *, title="Les constantes vitales", mastery=None):
    script = SCO_JS % SCENARIOS[scenario]
    if scenario == "hostile":  # it calls the API before LMSInitialize on purpose
        script = script.replace('API.LMSInitialize("");\n  var entry = API.LMSGetValue("cmi.core.entry");', "")
    return {"imsmanifest.xml": manifest(title=title, mastery=mastery),
            "index.html": PAGE.format(title=title), "sco.js": script}


def sco_zip(scenario="complete", **kwargs):
    """A valid SCORM 1.2 package playing `scenario` (complete, fail, suspend, hostile)."""
    if scenario == "fail":
        kwargs.setdefault("mastery", 80)
    return zip_bytes(sco_files(scenario, **kwargs))


def upload(data, name="paquet.zip"):
    return SimpleUploadedFile(name, data, content_type="application/zip")


# --- Hostile packages ----------------------------------------------------------------------------------

def zip_bomb():
    """10 MB of zeros deflated to a few KB (a ratio of about 1000)."""
    return zip_bytes({**sco_files("complete"), "bombe.bin": b"\0" * (10 * 1024 * 1024)})


def traversal():
    return zip_bytes({**sco_files("complete"), "../evasion.html": "<p>hors du paquet</p>"})


def absolute_path():
    return zip_bytes({**sco_files("complete"), "/etc/cron.d/evil": "* * * * * root true"})


def symlink():
    return zip_bytes({**sco_files("complete"), "lien": "/etc/passwd"}, symlinks={"lien"})


def href_outside():
    files = sco_files("complete")
    files["imsmanifest.xml"] = manifest(extra_files=("../../secret.js",))
    return zip_bytes(files)


def href_url():
    files = sco_files("complete")
    files["imsmanifest.xml"] = manifest(href="https://attaquant.example/sco.html")
    return zip_bytes(files)


def no_manifest():
    files = sco_files("complete")
    del files["imsmanifest.xml"]
    return zip_bytes(files)


def scorm_2004():
    files = sco_files("complete")
    files["imsmanifest.xml"] = manifest(version="2004 4th Edition")
    return zip_bytes(files)


def missing_launch_file():
    files = sco_files("complete")
    del files["index.html"]
    return zip_bytes(files)


def asset_launch():
    files = sco_files("complete")
    files["imsmanifest.xml"] = manifest(scormtype="asset")
    return zip_bytes(files)


def malformed_manifest():
    files = sco_files("complete")
    files["imsmanifest.xml"] = "<manifest><unclosed>"
    return zip_bytes(files)


def billion_laughs():
    files = sco_files("complete")
    files["imsmanifest.xml"] = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                                '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]><manifest>&lol2;</manifest>')
    return zip_bytes(files)


def duplicate_names():
    buffer = io.BytesIO(zip_bytes(sco_files("complete")))
    with zipfile.ZipFile(buffer, "a") as archive:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns of the duplicate: that is the point
            archive.writestr("index.html", "<p>autre</p>")
    return buffer.getvalue()


def lying_sizes():
    """A central directory that declares a tiny size for a large inflated file (a bomb that lies)."""
    data = bytearray(zip_bytes({**sco_files("complete"), "petit.bin": b"\0" * (2 * 1024 * 1024)}))
    # Rewrite the declared uncompressed size (central directory entry, offset 24) of petit.bin to 10 bytes.
    name = b"petit.bin"
    position = data.find(b"PK\x01\x02")
    while position != -1:
        name_length = int.from_bytes(data[position + 28:position + 30], "little")
        if bytes(data[position + 46:position + 46 + name_length]) == name:
            data[position + 24:position + 28] = (10).to_bytes(4, "little")
        position = data.find(b"PK\x01\x02", position + 4)
    return bytes(data)


def not_a_zip():
    return b"%PDF-1.4 not a zip at all"


def make_package(*, training_body, scenario="complete", title="Les constantes vitales", uploaded_by=None):
    """A package stored through the upload service, as an author's upload would be."""
    from lms.scorm.services import package_create

    return package_create(training_body=training_body, title=title, upload=upload(sco_zip(scenario)),
                          uploaded_by=uploaded_by)


def make_scorm_lesson(*, track, scenario="complete", module_index=0, title="Activité SCORM"):
    """A published SCORM lesson, last of the track's module `module_index`, playing a package of `scenario`."""
    from lms.catalog.models import ModulePage
    from lms.scorm.models import ScormLessonPage

    package = make_package(training_body=track.training_body, scenario=scenario)
    module = ModulePage.objects.child_of(track).order_by("path")[module_index]
    lesson = module.add_child(instance=ScormLessonPage(title=title, slug=f"scorm-{package.pk}", duration_minutes=10,
                                                       body=[], package=package))
    return ScormLessonPage.objects.get(pk=lesson.pk)
