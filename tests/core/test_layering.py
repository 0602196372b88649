"""The apps depend one way, as DESIGN.md draws them: each imports only apps above it."""

import ast
from pathlib import Path

APPS = Path(__file__).resolve().parents[2] / "apps"
# Top to bottom: an app may import the apps before it, never one after it.
LAYERS = [
    "core",
    "accounts",
    "notices",
    "directory",
    "workcalendar",
    "diversion",
    "tickets",
    "disputes",
    "reports",
]


def imported_apps(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found |= {n.split(".")[1] for n in names if n.startswith("apps.") and n.count(".") >= 1}
    return found


def test_every_app_is_in_the_layers():
    present = {p.name for p in APPS.iterdir() if (p / "apps.py").exists()}
    assert present == set(LAYERS)


def test_no_app_imports_one_below_it():
    wrong = []
    for position, app in enumerate(LAYERS):
        below = set(LAYERS[position + 1 :])
        for path in (APPS / app).rglob("*.py"):
            for other in imported_apps(path) & below:
                wrong.append(f"{path.relative_to(APPS.parent)} imports apps.{other}")
    assert not wrong, "\n".join(sorted(wrong))
