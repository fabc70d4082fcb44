"""A message translated when its module is imported keeps the language of whoever happened to
import it first: a Dutch visitor's request can then leave an English reader Dutch messages. So
outside functions, messages are marked with gettext_lazy, never translated with gettext."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EAGER = {"_", "gettext", "ngettext"}


def eager_calls_at_import(source: str, *, eager_names=frozenset(EAGER)) -> list[int]:
    """Line numbers of eager translation calls that run when the module is imported, in a
    module that imports `gettext` (or `ngettext`) itself rather than the lazy variants."""
    tree = ast.parse(source)
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.name in ("gettext", "ngettext"):
                    names.add(alias.asname or alias.name)
    names &= eager_names
    found = []

    def visit(node, inside_function):
        for child in ast.iter_child_nodes(node):
            nested = inside_function or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            )
            if (
                not inside_function
                and isinstance(child, ast.Call)
                and isinstance(child.func, ast.Name)
                and child.func.id in names
            ):
                found.append(child.lineno)
            visit(child, nested)

    visit(tree, False)
    return found


def project_modules():
    for path in sorted(ROOT.glob("**/*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] in (".venv", "bench") or "migrations" in parts or "tests" in parts:
            continue
        yield path


def test_no_module_translates_a_message_when_it_is_imported():
    problems = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in project_modules()
        for line in eager_calls_at_import(path.read_text())
    ]
    assert problems == [], "use gettext_lazy outside functions: " + ", ".join(problems)


def test_the_check_finds_an_eager_message_and_leaves_lazy_ones_alone():
    eager = "from django.utils.translation import gettext as _\nDONE = {'x': _('Done.')}\n"
    lazy = (
        "from django.utils.translation import gettext as _\n"
        "from django.utils.translation import gettext_lazy\n"
        "DONE = {'x': gettext_lazy('Done.')}\n"
        "def view():\n    return _('Done.')\n"
    )

    assert eager_calls_at_import(eager) == [2]
    assert eager_calls_at_import(lazy) == []
