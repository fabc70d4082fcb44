"""django-simple-history keeps the row history of every mutable model of the project.

A model without history must be listed here with the reason it needs none: append-only rows
(their history is the rows themselves and the audit chain), or state derived from such rows.
A new model without either fails this test."""

from django.apps import apps

PROJECT_APPS = ["members", "ledger", "audit", "payments", "shares", "reciprocity", "budgets"]

WITHOUT_HISTORY = {
    "ledger.Account": "code, type, purpose and currency never change once opened (open_account)",
    "ledger.Balance": "derived from the postings; `ledger check` recomputes it",
    "ledger.Transaction": "append-only; corrections are reversals (database trigger)",
    "ledger.Posting": "append-only (database trigger)",
    "ledger.PeriodClose": "append-only (database trigger)",
    "ledger.ClosingBalance": "append-only (database trigger)",
    "audit.ChainHead": "derived: the last event of the chain, moved only forward (trigger)",
    "audit.AuditEvent": "append-only; it is the history of decisions (database trigger)",
    "payments.StripeEvent": "append-only inbox of webhook events",
    "payments.BalanceFetch": "a record of one fetch from Stripe, written once with its audit event",
    "payments.StripeFee": "a fee booked once by a fetch, written once with its audit event",
    "shares.ShareLot": "closed once, by the transfer or cancellation row and its audit event",
    "shares.Transfer": "a record of one decision, written once with its audit event",
    "shares.Cancellation": "a record of one decision, written once with its audit event",
    "budgets.Voter": "the electorate fixed when a vote opens; each change (voted, proxy) is the "
    "subject of its own audit event",
    "budgets.BallotRecord": "a history would keep replaced ballots with their seals, and so link "
    "what was voted to who voted (ADR 0041)",
    "budgets.RollCall": "written once with the ballot it names, and replaced with it",
    "budgets.YearClose": "a record of one decision, written once with its audit event",
    "budgets.StatementImport": "a record of one import, written once with its audit event",
    "budgets.BankStatement": "written once by the import of its file, never changed",
    "budgets.BankLine": "written once, in bulk, by the import; its status moves only through "
    "the matching services, each with its own audit event",
    "budgets.PaymentBatch": "a record of one payment run, written once with its booking and "
    "audit event (its ledger transaction is set in the same database transaction)",
    "budgets.ReceiptFile": "a file's record, written once with the expense or settlement it "
    "belongs to; its SHA-256 is in that decision's audit event",
    "reciprocity.PersonMonthSummary": "derived from the confirmed contributions, kept with "
    "them in the same transaction; `time_given check` recomputes it",
    "reciprocity.GroupMonthSummary": "derived from the confirmed contributions, kept with them "
    "in the same transaction; `time_given check` recomputes it",
    "members.RetainedIdentity": "written once when a member is forgotten and deleted by the purge; "
    "a history would keep the identity the purge must erase",
}


def _models():
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            if not model.__name__.startswith("Historical"):
                yield f"{model._meta.app_label}.{model.__name__}", model


def missing_history(models, exempt) -> list[str]:
    return [name for name, model in models if not hasattr(model, "history") and name not in exempt]


def test_every_mutable_model_keeps_its_row_history():
    missing = missing_history(_models(), WITHOUT_HISTORY)
    assert missing == [], (
        f"{missing}: add `history = HistoricalRecords()` to the model, or list it in "
        "WITHOUT_HISTORY with the reason it needs none"
    )


def test_every_exemption_names_a_model_that_exists():
    names = {name for name, _model in _models()}
    assert set(WITHOUT_HISTORY) <= names


def test_a_model_without_history_is_reported():
    class Plain:
        pass

    assert missing_history([("x.Plain", Plain)], WITHOUT_HISTORY) == ["x.Plain"]
