"""A gunicorn worker is made ready before its first request (lms.core.warm, lms/gunicorn_conf.py)."""
import runpy
from pathlib import Path

from django.template import engines
from django.template.loader import get_template

from lms.core import warm

ROOT = Path(__file__).resolve().parents[2]


def test_every_template_of_the_project_compiles_in_the_warm_up(caplog):
    compiled = warm.warm_up()
    names = warm.project_template_names()
    # every template of ours, the login page a class meets first, and Django's form widgets
    assert set(compiled) == set(names) | set(warm.form_template_names())
    assert {"base.html", "learning/my_track.html", "learning/lesson.html", "account/login.html",
            "django/forms/widgets/input.html"} <= set(compiled)
    assert len(names) >= len(list((ROOT / "templates").rglob("*.html")))
    assert "warm-up" not in caplog.text


def test_a_template_that_does_not_compile_is_logged_and_the_others_still_are(monkeypatch, caplog, tmp_path):
    (tmp_path / "broken.html").write_text("{% if %}")
    (tmp_path / "fine.html").write_text("<p>{{ value }}</p>")
    monkeypatch.setattr(warm, "project_template_names", lambda: ["broken.html", "fine.html"])
    monkeypatch.setattr(warm, "form_template_names", lambda: [])
    engine = engines["django"].engine
    monkeypatch.setattr(engine, "dirs", [*engine.dirs, str(tmp_path)])
    engine.template_loaders[0].reset()  # the cached loader: the new directory seen
    try:
        assert warm.warm_up() == ["fine.html"]
        assert "warm-up: template broken.html not compiled" in caplog.text
        assert get_template("fine.html").render({"value": "ok"}) == "<p>ok</p>"
    finally:
        engine.template_loaders[0].reset()


def test_gunicorn_runs_the_warm_up_in_each_worker_before_it_accepts(monkeypatch):
    conf = runpy.run_path(str(ROOT / "lms" / "gunicorn_conf.py"))
    calls = []
    monkeypatch.setattr(warm, "warm_up", lambda: calls.append("warm"))
    conf["post_worker_init"](worker=None)
    assert calls == ["warm"]
    assert conf["preload_app"] is False  # the hook runs in each worker, after the fork

