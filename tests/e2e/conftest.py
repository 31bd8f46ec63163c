"""Playwright driving a real Chromium against the live server; axe-core checks each page."""
import os
from importlib.resources import files
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # the project's checkout

# axe-core as shipped inside the axe-playwright-python package (test extras of pyproject.toml): no Node needed.
AXE = files("axe_playwright_python") / "axe.min.js"
# Playwright's sync API runs an event loop in the test thread; the live server's ORM calls are safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def chromium_path():
    path = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"No Chromium at {path}: run the tests through `make test`, or set CHROMIUM.")
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path(),
        "args": ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe-core is injected as an inline script, which our Content-Security-Policy rightly forbids.
    return {**browser_context_args, "locale": "fr-FR", "bypass_csp": True}


def axe_violations(page, impacts=("serious", "critical")):
    """Run axe-core on the page; return the violations of the given impacts."""
    if not AXE.is_file():
        raise RuntimeError("axe-core is missing: install the test extras (`make install` does it).")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"] if v["impact"] in impacts
    ]


def login(page, live_server, email, password):
    page.goto(f"{live_server.url}/comptes/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Connexion").click()
