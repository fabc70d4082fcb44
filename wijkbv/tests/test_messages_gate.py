import polib

from wijkbv.checks.messages import PO, problems_in


def _po(*entries):
    po = polib.POFile()
    for entry in entries:
        po.append(entry)
    return po


def _mo(po):
    mo = polib.MOFile()
    for entry in po:
        mo.append(polib.MOEntry(msgid=entry.msgid, msgstr=entry.msgstr))
    return mo


def test_the_project_translations_are_complete_and_compiled():
    po = polib.pofile(str(PO))
    assert problems_in(po, polib.mofile(str(PO.with_suffix(".mo"))), _po()) == []


def test_it_reports_a_string_without_translation():
    po = _po(polib.POEntry(msgid="Hello", msgstr=""))
    assert problems_in(po, _mo(po), _po()) == ["no Dutch translation: 'Hello'"]


def test_it_reports_a_string_missing_from_the_po_file():
    po = _po(polib.POEntry(msgid="Hello", msgstr="Hallo"))
    extracted = _po(polib.POEntry(msgid="Hello"), polib.POEntry(msgid="New"))
    problems = problems_in(po, _mo(po), extracted)
    assert problems == ["not in django.po (run `make messages` and translate): 'New'"]


def test_it_reports_a_fuzzy_translation_and_a_stale_mo_file():
    fuzzy = polib.POEntry(msgid="Bye", msgstr="Doei", flags=["fuzzy"])
    good = polib.POEntry(msgid="Hello", msgstr="Hallo")
    po = _po(fuzzy, good)
    stale = _mo(_po(polib.POEntry(msgid="Hello", msgstr="Hoi")))
    assert problems_in(po, stale, _po()) == [
        "fuzzy, check the translation: 'Bye'",
        "django.mo is out of date (run `make messages`): 'Hello'",
    ]
