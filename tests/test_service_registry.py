"""Every decision is tested for its audit event (STYLE.md, "What that means here", 3).

For each public function of an app's services.py (defined there, name not starting with "_")
there must be a test file <app>/tests/test_<name>.py that calls assert_audit_event(. A few
services change a person's own account instead of deciding something for the cooperative; they
append no event and are listed in NOT_DECISIONS with the reason. Their test file shows the row
history instead (assert_history), or, where no history is kept, only has to exist.
"""

import importlib
import importlib.util
import inspect
import types
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = (
    "members",
    "wijkbv.ledger",
    "wijkbv.audit",
    "wijkbv.payments",
    "shares",
    "reciprocity",
    "budgets",
)
EVENT_PROOF = "assert_audit_event("


@dataclass(frozen=True)
class NotADecision:
    reason: str
    # What its test file calls instead of assert_audit_event(; None: the file only has to exist.
    proof: str | None


NOT_DECISIONS = {
    "members.services.update_profile": NotADecision(
        "a person edits their own details; django-simple-history records the edit",
        "assert_history(",
    ),
    "members.services.start_second_factor_setup": NotADecision(
        "a person sets up their own authenticator app; its device is not a history-tracked model",
        None,
    ),
    "members.services.confirm_second_factor": NotADecision(
        "a person confirms their own authenticator app; its device is not a history-tracked model",
        None,
    ),
    "members.services.verify_second_factor": NotADecision(
        "a person types a code at login; nothing of the cooperative changes", None
    ),
    "members.services.renew_api_token": NotADecision(
        "a person renews their own API token; tokens are not history-tracked", None
    ),
    "wijkbv.ledger.services.open_accounts_within": NotADecision(
        "opens accounts inside another decision (a funding stream added, a vote closed), whose "
        "own event names them",
        "captures_events(",
    ),
    "wijkbv.audit.services.start_chain": NotADecision(
        "starts the empty chain inside create_cooperative, whose own event records the founding",
        None,
    ),
}


def services_modules(apps=APPS) -> list[types.ModuleType]:
    """The services.py module of each app that has one."""
    modules = []
    for app in apps:
        name = f"{app}.services"
        if importlib.util.find_spec(name) is not None:
            modules.append(importlib.import_module(name))
    return modules


def public_services(module) -> list[str]:
    """Functions defined in the module itself (not imported into it), not starting with "_"."""
    return sorted(
        name
        for name, value in vars(module).items()
        if inspect.isfunction(value)
        and value.__module__ == module.__name__
        and not name.startswith("_")
    )


def missing_tests(modules, *, root=ROOT, not_decisions=NOT_DECISIONS) -> list[str]:
    """One line for each test file that is missing or does not show what it must."""
    problems = []
    for module in modules:
        tests = Path(module.__file__).resolve().parent / "tests"
        for name in public_services(module):
            service = f"{module.__name__}.{name}"
            path = tests / f"test_{name}.py"
            shown = path.relative_to(root)
            exemption = not_decisions.get(service)
            proof = EVENT_PROOF if exemption is None else exemption.proof
            if not path.exists():
                needs = f"that calls {proof}" if proof else "(exempt, but it needs a test)"
                problems.append(f"{shown}: missing, a test of {service} {needs}")
            elif proof and proof not in path.read_text(encoding="utf-8"):
                problems.append(f"{shown}: does not call {proof} for {service}")
    return problems


def test_every_public_service_has_a_test_of_its_audit_event():
    problems = missing_tests(services_modules())
    assert not problems, "Each public service needs its own test file:\n" + "\n".join(problems)


def test_every_exemption_names_a_service_that_exists():
    services = {
        f"{module.__name__}.{name}"
        for module in services_modules()
        for name in public_services(module)
    }
    assert set(NOT_DECISIONS) <= services, set(NOT_DECISIONS) - services


# The check itself, on a made-up app.


def _fake_app(tmp_path, tests: dict[str, str]):
    app = tmp_path / "kas"
    (app / "tests").mkdir(parents=True)
    (app / "services.py").write_text("")
    for name, text in tests.items():
        (app / "tests" / name).write_text(text)
    module = types.ModuleType("kas.services")
    module.__file__ = str(app / "services.py")

    def pay_expense(expense, *, actor): ...

    def approve_expense(expense, *, actor): ...

    def update_iban(member, *, actor): ...

    def _helper(): ...

    for function in (pay_expense, approve_expense, update_iban, _helper):
        function.__module__ = module.__name__
        setattr(module, function.__name__, function)
    module.append_event = inspect  # imported from elsewhere: not a service of this app
    return module


def test_the_check_lists_the_public_functions_defined_in_the_module(tmp_path):
    module = _fake_app(tmp_path, {})
    assert public_services(module) == ["approve_expense", "pay_expense", "update_iban"]


def test_the_check_names_each_missing_test_file(tmp_path):
    module = _fake_app(
        tmp_path, {"test_approve_expense.py": "assert_audit_event(events, action='x')"}
    )
    problems = missing_tests(
        [module],
        root=tmp_path,
        not_decisions={"kas.services.update_iban": NotADecision("own details", "assert_history(")},
    )
    assert problems == [
        "kas/tests/test_pay_expense.py: missing, a test of kas.services.pay_expense that calls "
        "assert_audit_event(",
        "kas/tests/test_update_iban.py: missing, a test of kas.services.update_iban that calls "
        "assert_history(",
    ]


def test_the_check_names_a_test_that_does_not_assert_the_event(tmp_path):
    module = _fake_app(
        tmp_path,
        {
            "test_approve_expense.py": "assert approve_expense",
            "test_pay_expense.py": "assert_audit_event(",
            "test_update_iban.py": "nothing",
        },
    )
    problems = missing_tests(
        [module],
        root=tmp_path,
        not_decisions={"kas.services.update_iban": NotADecision("own details", None)},
    )
    assert problems == [
        "kas/tests/test_approve_expense.py: does not call assert_audit_event( for "
        "kas.services.approve_expense"
    ]
