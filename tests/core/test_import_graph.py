"""The apps import one another one way only (DESIGN.md §2), checked on the source: every import of `lms.<app>`,
at module or function level, and every `get_model("<app>", ...)`, must follow ALLOWED, which has no cycle; and
an import left inside a function says why."""
import ast
from pathlib import Path

import pytest

LMS = Path(__file__).resolve().parents[2] / "lms"

# app -> the apps it may import (directly). Each layer may use every layer below it:
# core ← accounts ← organisations ← catalog ← learning ← quizzes ← {certificates, deadlines, support} ← reports ← demo;
# complaints sits on learning, beside quizzes;
# xapi is told of events by learning, quizzes and certificates and imports none of them; legal uses core only.
BASE = {"core"}
ACCOUNTS = BASE | {"accounts"}
ORGANISATIONS = ACCOUNTS | {"organisations"}
# accommodations (issue 17, point 2) sits on organisations: timed quizzes and the pace above read it.
CATALOG = ORGANISATIONS | {"catalog", "accommodations"}
LEARNING = CATALOG | {"learning", "xapi"}
QUIZZES = LEARNING | {"quizzes"}
ALLOWED = {
    "core": set(),
    "xapi": BASE,
    "legal": BASE,
    "accounts": BASE,
    "organisations": ACCOUNTS,
    "accommodations": ORGANISATIONS,  # the disability referent and accommodations (issue 17, point 2)
    "catalog": ORGANISATIONS,
    "learning": CATALOG | {"xapi"},
    "quizzes": LEARNING,
    "certificates": QUIZZES,  # certificates and deadlines are siblings: neither imports the other
    "deadlines": QUIZZES,
    "support": QUIZZES,  # the questions to the tutors, from lessons and quiz results (issue 15, point 6)
    "complaints": LEARNING,  # complaints of trainees and employers to a body (issue 17, point 5)
    "surveys": LEARNING,  # satisfaction, hot and cold (issue 17, point 4)
    "classroom": LEARNING,  # séances in person or in a virtual class, sign-in sheets (issue 17, point 3)
    "scorm": LEARNING,  # SCORM 1.2 packages played as lessons (issue 18, point 1)
    "reports": QUIZZES | {"certificates", "deadlines", "support", "complaints", "classroom", "scorm"},
    "demo": QUIZZES | {"certificates", "deadlines", "support", "complaints", "surveys", "reports", "legal",
                       "classroom", "scorm"},
}


def _sources():
    for path in sorted(LMS.rglob("*.py")):
        parts = path.relative_to(LMS).parts
        if len(parts) < 2 or parts[0] == "settings" or "migrations" in parts:
            continue  # lms/urls.py and lms/wsgi.py assemble the project; migrations may name any model
        yield parts[0], path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def _function_level(tree):
    inner = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inner.update(id(sub) for sub in ast.walk(node) if sub is not node)
    return inner


def _lms_apps(node):
    """The apps of lms an import statement names."""
    if isinstance(node, ast.Import):
        modules = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == "lms":
        modules = [f"lms.{alias.name}" for alias in node.names]
    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        modules = [node.module]
    else:
        return []
    return [module.split(".")[1] for module in modules if module.startswith("lms.") and module.count(".") >= 1]


def _edges():
    """(app, imported app, 'file:line', function level?) for every cross-app import or get_model."""
    apps = set(ALLOWED)
    for app, path, tree in _sources():
        inner = _function_level(tree)
        where = path.relative_to(LMS.parent)
        for node in ast.walk(tree):
            targets = _lms_apps(node)
            if (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == "get_model"
                    and node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value in apps):
                targets = [node.args[0].value]
            for target in targets:
                if target != app:
                    yield app, target, f"{where}:{node.lineno}", id(node) in inner


def test_every_app_has_a_place_in_the_graph():
    apps = {path.name for path in LMS.iterdir() if (path / "apps.py").exists()}
    assert apps == set(ALLOWED)


def test_allowed_graph_has_no_cycle():
    done, visiting = set(), []

    def visit(app):
        assert app not in visiting, f"cycle: {' -> '.join(visiting + [app])}"
        if app in done:
            return
        visiting.append(app)
        for target in ALLOWED[app]:
            visit(target)
        visiting.pop()
        done.add(app)

    for app in ALLOWED:
        visit(app)


def test_imports_follow_the_allowed_graph():
    """Module-level and function-level imports alike, and `apps.get_model` of another app's model."""
    edges = list(_edges())
    assert len(edges) > 100  # the walk sees the imports (a parse that found nothing would pass)
    violations = [f"{where}: {app} imports {target}{' (in a function)' if inner else ''}"
                  for app, target, where, inner in edges if target not in ALLOWED[app]]
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize("app,target", [("catalog", "learning"), ("learning", "quizzes"), ("accounts", "organisations"),
                                        ("core", "demo"), ("deadlines", "certificates"), ("xapi", "learning")])
def test_the_graph_refuses_what_design_forbids(app, target):
    assert target not in ALLOWED[app]


def test_function_level_imports_say_why():
    """An import of lms inside a function has a comment on its line, or on the line above its group of imports."""
    missing = []
    for _app, path, tree in _sources():
        lines = path.read_text(encoding="utf-8").splitlines()
        inner = _function_level(tree)
        for node in ast.walk(tree):
            if id(node) not in inner or not _lms_apps(node) and not (
                    isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("lms")):
                continue
            if "# " in lines[node.lineno - 1]:
                continue
            above = node.lineno - 2
            while above >= 0 and lines[above].strip().startswith(("from ", "import ")) and "# " not in lines[above]:
                above -= 1
            if above < 0 or not lines[above].strip().startswith("# ") and "# " not in lines[above]:
                missing.append(f"{path.relative_to(LMS.parent)}:{node.lineno}")
    assert not missing, "function-level imports without a comment saying why:\n" + "\n".join(missing)
