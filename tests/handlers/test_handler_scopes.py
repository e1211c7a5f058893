"""Handlers look things up in a read scope, write in a session scope, and never import storage themselves.

On SQLite a session scope is the writer's turn, which every other writer waits for: a look-up that opens one
makes the acks of everyone else wait behind it.
"""

import ast
from pathlib import Path

import pytest

HANDLERS = Path(__file__).parent.parent.parent / "handlers"
MODULES = ["requests.py", "ratings.py", "retros.py", "home.py", "refusals.py"]
# The service functions that only read: each one is called in ``deps.read_scope()``, never in a writer's turn.
LOOKUPS = {
    "check_staff",
    "check_requester",
    "view_for_member",
    "departments",
    "knows_home",
    "filed_from",
    "open_requests_of",
    "queues_of",
    "managed_health",
    "home_blocks",
    "for_command",
    "updated_form",
    "catalog",
    "prepare_filing",
}


def _scopes(tree: ast.AST) -> list[tuple[str, set[str]]]:
    """Each ``with deps.<scope>()`` block: the scope's name and the names of the functions called in it."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.With):
            continue
        for item in node.items:
            call = item.context_expr
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
                called = {
                    inner.func.attr if isinstance(inner.func, ast.Attribute) else getattr(inner.func, "id", "")
                    for statement in node.body
                    for inner in ast.walk(statement)
                    if isinstance(inner, ast.Call)
                }
                found.append((call.func.attr, called))
    return found


@pytest.mark.parametrize("module", MODULES)
def test_a_handler_imports_no_storage(module: str) -> None:
    tree = ast.parse((HANDLERS / module).read_text())
    imported = [
        name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in ([node.module or ""] if isinstance(node, ast.ImportFrom) else [alias.name for alias in node.names])
    ]
    assert not [name for name in imported if name == "storage" or name.startswith("storage.")]


@pytest.mark.parametrize("module", MODULES)
def test_lookups_run_in_a_read_scope_and_writers_turns_write(module: str) -> None:
    for scope, called in _scopes(ast.parse((HANDLERS / module).read_text())):
        if scope == "read_scope":
            assert called - {"first"} <= LOOKUPS, f"{module}: a read scope calls {sorted(called - LOOKUPS)}"
        else:
            assert scope == "session_scope"
            assert called - LOOKUPS, f"{module}: a writer's turn that only looks things up: {sorted(called)}"
            assert not called & LOOKUPS, f"{module}: a writer's turn calls {sorted(called & LOOKUPS)}"
