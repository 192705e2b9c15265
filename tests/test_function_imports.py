"""Imports inside functions only with a reason (issue 10): each says why in a `#` comment
on its line or the line above (one comment covers a block of imports). Most are for
start-up (a command or the GUI loads a heavy module only where it is used; see
docs/it-deployment.md), some for a check that must fail alone in the self-test, or for
code that must set the environment before Qt loads. Anything else belongs at the top."""

from __future__ import annotations

import ast
import re

from tests.conftest import ROOT

FOLDERS = ("forms", "validators", "desktop", "installer")
#: Comments for the tools, not reasons: type-ignore, noqa and pragma comments.
_TOOL_COMMENT = re.compile(r"#\s*(type:\s*ignore(\[[^\]]*\])?|noqa(:\s*[A-Z0-9, ]+)?|pragma:[^#]*)")


def says_why(line: str) -> bool:
    """Whether `line` carries a comment that is a reason (not only a tool's)."""
    if "#" not in line:
        return False
    comment = _TOOL_COMMENT.sub("", line[line.index("#") :])
    return bool(comment.replace("#", "").strip())


def _blocks(function: ast.AST) -> list[list[ast.Import | ast.ImportFrom]]:
    """Runs of import statements next to each other in one body (a blank line between
    import groups does not end a run)."""
    runs: list[list[ast.Import | ast.ImportFrom]] = []
    for node in ast.walk(function):
        for field in ("body", "orelse", "finalbody", "handlers"):
            statements = getattr(node, field, None)
            if not isinstance(statements, list):
                continue
            current: list[ast.Import | ast.ImportFrom] = []
            for statement in statements:
                if isinstance(statement, ast.Import | ast.ImportFrom):
                    current.append(statement)
                elif current:
                    runs.append(current)
                    current = []
            if current:
                runs.append(current)
    return runs


def unexplained() -> list[str]:
    found = []
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            lines = path.read_text("utf-8").splitlines()
            tree = ast.parse("\n".join(lines))
            for node in ast.walk(tree):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for block in _blocks(node):
                    first = block[0]
                    above = lines[first.lineno - 2].strip() if first.lineno > 1 else ""
                    text = [
                        line for imp in block for line in lines[imp.lineno - 1 : imp.end_lineno]
                    ]
                    reason = above.startswith("#") and says_why(above)
                    if not reason and not any(says_why(line) for line in text):
                        where = path.relative_to(ROOT)
                        found.append(f"{where}:{first.lineno}: {lines[first.lineno - 1].strip()}")
    return found


def test_every_import_inside_a_function_says_why() -> None:
    assert unexplained() == [], "move these to the top of the file, or say why they wait"


def test_a_tool_comment_is_not_a_reason() -> None:
    assert not says_why("    import PyInstaller  # type: ignore[import-untyped]  # noqa: F401")
    assert not says_why("    import x  # pragma: no cover")
    assert says_why("    import x  # noqa: F401 - start-up: only the GUI draws")
    assert says_why("    # start-up: only where a workspace opens")
