"""The core's refusal reasons are messages: English text that keeps its template (marked with ``N_``
for extraction) and named parameters, so that the Django layer can render them in Japanese. No Django
here: the catalogue check is in tests/cycle/web/test_translated_refusals.py."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

from jcm.accounts.core.roles import Role
from jcm.cycle.core.machine import Refused
from jcm.cycle.core.messages import N_, Message
from jcm.cycle.core.states import IssuanceState, MethodologyState, ProjectState
from jcm.cycle.core.transitions import apply

from .support import REPO, happy, rule_set

CORE = REPO / "src" / "jcm" / "cycle" / "core"
REFUSING = ("machine.py", "guards.py", "tpe.py", "credits.py", "periods.py", "double_registration.py")


def test_a_message_is_its_english_text_with_template_and_parameters() -> None:
    m = Message(N_("the notified total (%(total)s t) exceeds the requested amount (%(requested)s t)"),
                total=12, requested=10)
    assert m == "the notified total (12 t) exceeds the requested amount (10 t)"
    assert m.params == {"total": 12, "requested": 10} and "%(total)s" in m.template
    assert "exceeds" in m and isinstance(m, str)
    joined = Message.joined([Message(N_("a")), Message(N_("b %(x)s"), x=1)])
    assert joined == "a; b 1" and list(joined.params) == ["part0", "part1"]
    copy = pickle.loads(pickle.dumps(m))
    assert copy == m and copy.template == m.template and copy.params == m.params
    assert N_("x") == "x"


def test_refusals_of_apply_are_messages() -> None:
    rs = rule_set("default-article6.v1")
    refusals = [
        apply(MethodologyState.DRAFT, "no_such_action", Role.JC_MEMBER, happy(rs)),
        apply(MethodologyState.DRAFT, "approve", Role.JC_MEMBER, happy(rs)),
        apply(ProjectState.VALIDATED, "request_registration", Role.TPE, happy(rs)),
        apply(ProjectState.PIN_SUBMITTED, "object", Role.JC_MEMBER, happy(rs, reason="")),
        apply(IssuanceState.VERIFICATION, "verify", Role.TPE, happy(rs, verified=10**9)),
    ]
    for r in refusals:
        assert isinstance(r, Refused), r
        assert isinstance(r.reason, Message), r
        assert r.reason.template and str(r.reason) == (r.reason.template % {k: str(v) for k, v in
                                                                             r.reason.params.items()}
                                                       if r.reason.params else r.reason.template)


def _refusal_literals(tree: ast.AST) -> list[tuple[int, str]]:
    """Returns or appends of a plain or f-string (a refusal not made a Message), outside __str__."""
    found = []
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef) or fn.name.startswith("__"):
            continue
        for node in ast.walk(fn):
            value = None
            if isinstance(node, ast.Return):
                value = node.value
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr == "append" and node.args):
                value = node.args[0]
            if isinstance(value, ast.JoinedStr) or (isinstance(value, ast.Constant) and isinstance(value.value, str)):
                found.append((node.lineno, fn.name))
    return found


def test_no_refusal_is_an_untranslatable_string() -> None:
    problems = []
    for name in REFUSING:
        tree = ast.parse((CORE / name).read_text(encoding="utf-8"))
        problems += [f"{name}:{line} in {fn}" for line, fn in _refusal_literals(tree)]
    assert problems == [], problems


def test_every_message_template_is_marked_for_extraction() -> None:
    """A Message's first argument is N_("...") (or a choice of two), so that makemessages finds it."""
    unmarked = []
    for path in sorted(CORE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Message":
                first = node.args[0] if node.args else None
                choices = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
                for c in choices:
                    marked = (isinstance(c, ast.Call) and isinstance(c.func, ast.Name) and c.func.id == "N_")
                    variable = isinstance(c, ast.Name | ast.Subscript)  # a word looked up from a marked table
                    if not (marked or variable or (path.name == "machine.py" and isinstance(c, ast.Name))):
                        unmarked.append(f"{path.name}:{node.lineno}")
    assert unmarked == [], unmarked


def marked_templates() -> list[str]:
    out = []
    for path in sorted(CORE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "N_"
                    and node.args and isinstance(node.args[0], ast.Constant)):
                out.append(node.args[0].value)
    return out


def test_templates_are_found() -> None:
    templates = marked_templates()
    assert len(templates) > 80 and "the JC decision has no number" in templates
    assert Path(CORE / "messages.py").exists()
