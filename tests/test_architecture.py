"""The apps form a stack and import only downwards (docs/architecture.md, STYLE: layers)."""

import re
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
STACK = ["accounts", "questions", "reviews", "interviews", "hiring", "web"]  # bottom to top


@pytest.fixture(scope="module")
def app_imports() -> set[tuple[str, str]]:
    """(importer app, imported app) for every import between two apps, lazy ones included."""
    graph = grimp.build_graph(*STACK, "interview_bank", include_external_packages=False)
    edges = set()
    for importer in STACK:
        for imported in STACK:
            if importer != imported and graph.find_matching_direct_imports(
                import_expression=f"{importer}.** -> {imported}.**"
            ):
                edges.add((importer, imported))
    return edges


def test_no_app_imports_an_app_above_it(app_imports):
    upward = sorted((a, b) for a, b in app_imports if STACK.index(b) > STACK.index(a))
    assert upward == []


def test_the_app_level_import_graph_has_no_cycle(app_imports):
    # Follows from the stack, but checked on its own: a cycle is what the stack forbids.
    remaining = {a: {b for x, b in app_imports if x == a} for a in STACK}
    while remaining:
        leaves = [a for a, deps in remaining.items() if not deps & remaining.keys()]
        assert leaves, f"import cycle among {sorted(remaining)}"
        for leaf in leaves:
            del remaining[leaf]


def test_the_project_package_imports_no_app_from_its_shared_modules():
    # Apps may use interview_bank's errors, queue, hooks and clock; those must
    # import no app, or an app would reach a higher one through them.
    graph = grimp.build_graph(*STACK, "interview_bank", include_external_packages=False)
    for module in ["interview_bank.exceptions", "interview_bank.queue", "interview_bank.hooks", "interview_bank.clock"]:
        imported = {m.split(".")[0] for m in graph.find_modules_directly_imported_by(module)}
        assert not imported & set(STACK), (module, imported)


SHARED_RULE_FILES = ["*/services.py", "*/selectors.py", "*/models.py", "*/grading.py", "*/api/serializers.py"]


def test_time_is_read_at_the_edge_not_in_services_models_or_serializers():
    readers = [
        str(path.relative_to(ROOT))
        for pattern in SHARED_RULE_FILES
        for path in ROOT.glob(pattern)
        if re.search(r"timezone\.now\(\)|datetime\.now\(", path.read_text())
    ]
    assert readers == []


def test_the_layers_contract_is_configured_for_import_linter():
    config = (ROOT / "pyproject.toml").read_text()
    assert 'layers = ["web", "hiring", "interviews", "reviews", "questions", "accounts"]' in config
    assert "lint-imports" in (ROOT / "Makefile").read_text()
