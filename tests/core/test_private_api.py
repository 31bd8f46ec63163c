"""No module of lms/ reaches into the private parts of Django, Wagtail, allauth or psycopg (issue 14): what they do
not document may change in any release, and the move to Django 6 must not break the platform."""
import ast
from pathlib import Path

LMS = Path(__file__).resolve().parents[2] / "lms"
FRAMEWORKS = ("django", "wagtail", "allauth", "psycopg", "psycopg2", "modelcluster", "taggit", "treebeard")
# Underscored names the frameworks document as public: the model _meta API, a model's managers, the database a
# manager uses (Django's docs on custom managers write `using=self._db`), and namedtuple's own methods.
DOCUMENTED = {"_meta", "_default_manager", "_base_manager", "_db", "_replace", "_make", "_asdict", "_fields"}


def sources():
    for path in sorted(LMS.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(), str(path))


def names_defined_in_lms():
    """Underscored names lms/ defines itself (functions, classes, variables, attributes it assigns)."""
    names = set()
    for _, tree in sources():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
    return {name for name in names if name.startswith("_")}


def private(name):
    return name.startswith("_") and not name.startswith("__")


def test_no_import_of_a_private_name_or_module_of_a_framework():
    found = []
    for path, tree in sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in FRAMEWORKS:
                parts = node.module.split(".") + [alias.name for alias in node.names]
            elif isinstance(node, ast.Import):
                parts = [part for alias in node.names if alias.name.split(".")[0] in FRAMEWORKS
                         for part in alias.name.split(".")]
            else:
                continue
            if any(private(part) for part in parts):
                found.append(f"{path.relative_to(LMS.parent)}:{node.lineno}: {'.'.join(parts)}")
    assert not found, "private framework imports:\n" + "\n".join(found)


def test_no_private_attribute_of_a_framework_is_read_or_called():
    """Any `obj._name` read in lms/ is a name lms/ defines itself or one the frameworks document."""
    ours = names_defined_in_lms() | DOCUMENTED
    found = []
    for path, tree in sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and private(node.attr) and node.attr not in ours:
                found.append(f"{path.relative_to(LMS.parent)}:{node.lineno}: .{node.attr}")
    assert not found, "private attributes read:\n" + "\n".join(found)


def test_the_checks_catch_what_they_look_for(tmp_path):
    """The two checks above would see a private import and a private attribute (guard against a vacuous scan)."""
    module = tmp_path / "lms" / "core" / "leak.py"
    module.parent.mkdir(parents=True)
    module.write_text("from django.db.models.sql.query import _get_col\n"
                      "def f(qs, connection):\n    return qs._iterable_class, connection._prepare_cursor\n")
    globals()["LMS"], saved = tmp_path / "lms", LMS
    try:
        for check in (test_no_import_of_a_private_name_or_module_of_a_framework,
                      test_no_private_attribute_of_a_framework_is_read_or_called):
            try:
                check()
            except AssertionError as error:
                assert "leak.py" in str(error)
            else:
                raise AssertionError(f"{check.__name__} saw nothing")
    finally:
        globals()["LMS"] = saved
