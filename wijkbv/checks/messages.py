"""Translation gate: every string the code marks for translation has a Dutch translation, none is
fuzzy, and the compiled .mo file says the same as the .po file.

Run as `python -m wijkbv.checks.messages` (needs GNU gettext's xgettext, as makemessages does).
Exit 1 with the list of problems, 0 when complete.
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
MAKEMESSAGES_ARGS = [
    "makemessages",
    "--locale",
    "nl",
    "--no-obsolete",
    "--add-location",
    "file",
    "--ignore",
    ".venv/*",
    "--ignore",
    "bench/*",
    "--ignore",
    "tests/*",
    "--ignore",
    "*/tests/*",
]


def _key(entry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _translated(entry) -> bool:
    if entry.msgid_plural:
        return all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def problems_in(po: polib.POFile, mo: polib.MOFile, extracted: polib.POFile) -> list[str]:
    problems = []
    known = {_key(entry) for entry in po}
    for entry in extracted:
        if _key(entry) not in known:
            problems.append(
                f"not in {PO.name} (run `make messages` and translate): {entry.msgid!r}"
            )
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy, check the translation: {entry.msgid!r}")
        elif not _translated(entry):
            problems.append(f"no Dutch translation: {entry.msgid!r}")
    compiled = {_key(entry): (entry.msgstr, entry.msgstr_plural) for entry in mo}
    for entry in po:
        if entry.obsolete or "fuzzy" in entry.flags or not _translated(entry) or not entry.msgid:
            continue
        if compiled.get(_key(entry)) != (entry.msgstr, entry.msgstr_plural):
            problems.append(f"{MO.name} is out of date (run `make messages`): {entry.msgid!r}")
            break
    return problems


def extract() -> polib.POFile:
    """What makemessages finds in the source today, leaving the project's .po file untouched."""
    from django.core.management import call_command

    with tempfile.TemporaryDirectory() as keep:
        saved = Path(keep) / "django.po"
        shutil.copy2(PO, saved)
        try:
            call_command(*MAKEMESSAGES_ARGS, verbosity=0)
            return polib.pofile(str(PO))
        finally:
            shutil.copy2(saved, PO)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkbv.settings")
    import django

    django.setup()
    os.chdir(ROOT)
    problems = problems_in(polib.pofile(str(PO)), polib.mofile(str(MO)), extract())
    for problem in problems:
        print(problem)
    print("translations: complete" if not problems else f"translations: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
