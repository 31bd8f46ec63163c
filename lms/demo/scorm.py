"""The demo's SCORM 1.2 lesson (issue 18, point 1): a short self-check "Les constantes vitales", built here as a
real SCORM 1.2 package (imsmanifest.xml, an HTML page and its script calling window.parent.API), uploaded through
the same service as an author's upload and played as the last lesson of the vital-signs module of the 4-month
track. Found again by its manifest identifier and lesson slug on a later run: seeding twice changes nothing."""
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from lms.catalog.models import ModulePage, TrackPage
from lms.scorm.models import ScormLessonPage, ScormPackage
from lms.scorm.services import package_create

IDENTIFIER = "PARCOURS-AM-DEMO-CONSTANTES"
SLUG = "auto-evaluation-constantes-scorm"

MANIFEST = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{IDENTIFIER}" version="1.0"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="ORG">
    <organization identifier="ORG"><title>Les constantes vitales : auto-évaluation</title>
      <item identifier="ITEM" identifierref="SCO"><title>Les constantes vitales</title>
        <adlcp:masteryscore>67</adlcp:masteryscore></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="SCO" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/><file href="quiz.js"/><file href="style.css"/>
    </resource>
  </resources>
</manifest>
"""

QUESTIONS = [
    ("q1", "Combien de minutes de repos avant de mesurer la pression artérielle ?",
     [("a", "Aucune"), ("b", "3 à 5 minutes"), ("c", "30 minutes")], "b"),
    ("q2", "Un brassard trop petit pour le bras du patient…",
     [("a", "surestime la pression artérielle"), ("b", "sous-estime la pression artérielle"),
      ("c", "ne change rien")], "a"),
    ("q3", "L'indice de masse corporelle se calcule avec…",
     [("a", "le poids et la taille"), ("b", "le poids et l'âge"), ("c", "la taille et le tour de taille")], "a"),
]


def _page():
    fieldsets = "".join(
        f'<fieldset><legend>{prompt}</legend>' + "".join(
            f'<label><input type="radio" name="{key}" value="{value}"> {text}</label>' for value, text in choices)
        + "</fieldset>" for key, prompt, choices, _right in QUESTIONS)
    return ('<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Les constantes vitales</title>'
            '<link rel="stylesheet" href="style.css"></head><body><main><h1>Les constantes vitales : '
            'auto-évaluation</h1><p>Trois questions pour vérifier vos repères avant la consultation. Il faut deux '
            'bonnes réponses sur trois.</p><form id="quiz">' + fieldsets +
            '<button type="submit">Valider mes réponses</button></form><p id="result" role="status"></p>'
            '</main><script src="quiz.js"></script></body></html>')


SCRIPT = """(function () {
  var API = window.parent && window.parent.API;
  var start = Date.now(), finished = false;
  var answers = %s;
  function pad(n, width) { n = String(n); while (n.length < width) { n = "0" + n; } return n; }
  function elapsed() {
    var s = Math.round((Date.now() - start) / 1000);
    return pad(Math.floor(s / 3600), 4) + ":" + pad(Math.floor(s / 60) %% 60, 2) + ":" + pad(s %% 60, 2);
  }
  if (API) { API.LMSInitialize(""); if (API.LMSGetValue("cmi.core.lesson_status") === "not attempted") {
    API.LMSSetValue("cmi.core.lesson_status", "incomplete"); } }
  document.getElementById("quiz").addEventListener("submit", function (event) {
    event.preventDefault();
    var right = 0, keys = Object.keys(answers);
    keys.forEach(function (key, index) {
      var chosen = document.querySelector("input[name=" + key + "]:checked");
      var value = chosen ? chosen.value : "";
      if (value === answers[key]) { right += 1; }
      if (API) {
        API.LMSSetValue("cmi.interactions." + index + ".id", key);
        API.LMSSetValue("cmi.interactions." + index + ".type", "choice");
        API.LMSSetValue("cmi.interactions." + index + ".student_response", value);
        API.LMSSetValue("cmi.interactions." + index + ".result", value === answers[key] ? "correct" : "wrong");
      }
    });
    var score = Math.round(right * 100 / keys.length);
    document.getElementById("result").textContent = right + " bonne(s) réponse(s) sur " + keys.length +
      (right >= 2 ? " : bravo, repères acquis." : " : relisez la leçon sur les constantes et réessayez.");
    if (API && !finished) {
      API.LMSSetValue("cmi.core.score.raw", String(score));
      API.LMSSetValue("cmi.core.score.min", "0");
      API.LMSSetValue("cmi.core.score.max", "100");
      API.LMSSetValue("cmi.core.lesson_status", right >= 2 ? "passed" : "failed");
      API.LMSSetValue("cmi.core.session_time", elapsed());
      API.LMSCommit("");
      if (right >= 2) { finished = true; API.LMSFinish(""); }
    }
  });
  window.addEventListener("pagehide", function () {
    if (API && !finished) { finished = true; API.LMSSetValue("cmi.core.exit", "suspend");
      API.LMSSetValue("cmi.core.session_time", elapsed()); API.LMSFinish(""); }
  });
})();
"""

STYLE = ("body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1b1b1b}fieldset{margin:0 0 1rem;"
         "border:1px solid #666;padding:.75rem}label{display:block;margin:.25rem 0}button{padding:.5rem 1rem}")


def package_bytes():
    """The demo's SCORM 1.2 zip."""
    answers = "{" + ", ".join(f'"{key}": "{right}"' for key, _prompt, _choices, right in QUESTIONS) + "}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("imsmanifest.xml", MANIFEST)
        archive.writestr("index.html", _page())
        archive.writestr("quiz.js", SCRIPT % answers)
        archive.writestr("style.css", STYLE)
    return buffer.getvalue()


def seed_scorm_lesson(body, stdout=None):
    """The SCORM self-check as the last lesson of the 4-month track's vital-signs module (idempotent)."""
    track = TrackPage.objects.live().filter(training_body=body, duration_unit="months").order_by("path").first()
    if track is None:
        return None
    modules = list(ModulePage.objects.child_of(track).order_by("path"))
    module = next((m for m in modules if "constantes" in m.title.lower()), modules[0] if modules else None)
    if module is None:
        return None
    package = ScormPackage.objects.filter(training_body=body, identifier=IDENTIFIER).first()
    if package is None:
        package = package_create(training_body=body, title="Les constantes vitales : auto-évaluation",
                                 upload=SimpleUploadedFile("constantes.zip", package_bytes(),
                                                           content_type="application/zip"), uploaded_by=None)
    lesson = ScormLessonPage.objects.child_of(module).filter(slug=SLUG).first()
    if lesson is None:
        lesson = module.add_child(instance=ScormLessonPage(
            title="Auto-évaluation : les constantes vitales", slug=SLUG, duration_minutes=10, package=package,
            body=[]))
        lesson.save_revision().publish()
    if stdout is not None:
        stdout.write(f"  SCORM lesson: {lesson.title} in {module.title} ({track.title})")
    return lesson
