"""Pabulib `.pb` files: read and write a participatory-budgeting vote as https://pabulib.org does.

A `.pb` file is UTF-8 text in three sections, each a title line (META, PROJECTS, VOTES), a header
line naming the columns, and rows: semicolon-separated, quoted with double quotes as in CSV when a
value holds a semicolon or a quote. META rows are `key;value` (among them `budget`, `vote_type`,
`num_projects`, `num_votes`); PROJECTS has at least `project_id` and `cost`; VOTES has
`voter_id` and `vote`, the approved project ids separated by commas. A value `None` means none.

Plain Python with no Django import, like the rules, so anyone can recount a file with them. Only
approval votes are read (`vote_type` `approval`, or `choose-1`, one approval each); ordinal,
cumulative and scoring votes are refused with a plain message.

Pabulib has no voter weight: every row is one voter. A ballot that counts for several shares is
written as that many identical rows, and read back as that many ballots, which the rules tally
the same as one ballot of that weight. A column named `weight` in a file is voter metadata like
`age` and is not counted, as pabutools does not count it either.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path

from budgets.rules import Ballot, Project

APPROVAL_TYPES = ("approval", "choose-1")


def gettext_noop(message: str) -> str:
    """Marks a message for translation (makemessages finds it) without translating it here."""
    return message


class PabulibError(ValueError):
    """A file that is not a Pabulib approval vote, with what is wrong and on which line.

    `message` is the English text with `%(name)s` placeholders filled from `params`, marked for
    translation, so a Django caller can translate it: `gettext(error.message) % error.params`.
    """

    def __init__(self, message: str, line: int | None = None, **params):
        self.message = message
        self.params = params
        self.line = line
        text = message % params
        super().__init__(f"line {line}: {text}" if line else text)


@dataclass
class PabulibVote:
    """A vote as a file has it: ids are the file's own, ballots list the ids each voter approved."""

    meta: dict[str, str]
    projects: list[Project]
    ballots: list[list[str]]
    voter_ids: list[str] = field(default_factory=list)

    @property
    def budget(self) -> int | Decimal:
        return _number(self.meta["budget"])

    def rule_ballots(self) -> list[Ballot]:
        """The ballots for the rules in budgets.rules."""
        return [Ballot(frozenset(ballot)) for ballot in self.ballots]


# --- reading ----------------------------------------------------------------------------------


def _number(text: str) -> int | Decimal:
    """A Pabulib number: digits, maybe a decimal point or comma (pabutools reads both), or a
    fraction such as 25/2 as pabutools writes it, when it has a decimal value (12.5). No amount
    has more than 30 digits before the point; a longer one is refused rather than worked on."""
    text = text.strip().replace(",", ".")
    if "/" in text:
        top, _, bottom = (part.strip() for part in text.partition("/"))
        if not top.lstrip("-").isdecimal() or not bottom.isdecimal() or not int(bottom):
            raise InvalidOperation(text)
        if len(top) > 40 or len(bottom) > 40:
            raise InvalidOperation(text)
        fraction = Fraction(int(top), int(bottom))
        places = 0
        while (fraction * 10**places).denominator != 1:
            places += 1
            if places > 30:  # 1/3 and the like have no decimal value
                raise InvalidOperation(text)
        value = Decimal(int(fraction * 10**places)).scaleb(-places)
        return int(value) if places == 0 else value
    value = Decimal(text)
    if not value.is_finite() or value.adjusted() > 30:
        raise InvalidOperation(text)
    return int(value) if value == value.to_integral_value() and "." not in str(value) else value


def _missing(value: str) -> bool:
    return value.lower() == "none"


def _text(source) -> str:
    if isinstance(source, Path):
        source = source.read_bytes()
    elif hasattr(source, "read"):
        source = source.read()
    if isinstance(source, bytes | bytearray):
        try:
            source = bytes(source).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise PabulibError(
                gettext_noop("The file is not UTF-8 text (byte %(position)s)."),
                position=error.start + 1,
            ) from None
    if not isinstance(source, str):
        raise TypeError(f"read() takes the text of a file, a file or a path, not {source!r}")
    return source.removeprefix("\ufeff")


SECTIONS = ("meta", "projects", "votes")


Section = tuple[int, int, list[str], list[tuple[int, list[str]]]]


def _sections(text: str) -> dict[str, Section]:
    """Per section: the lines of its title and header, its header, and its rows with their
    line numbers."""
    sections: dict[str, Section] = {}
    current = None
    expect_header = False
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=";", skipinitialspace=True, strict=True
    )
    while True:
        starts = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error:
            raise PabulibError(
                gettext_noop("A quoted value is not closed or is followed by other text."),
                line=starts,
            ) from None
        line = reader.line_num
        row = [value.strip() for value in row]
        if not any(row):
            continue
        title = row[0].lower() if len(row) == 1 or not any(row[1:]) else None
        if title in SECTIONS:
            if title in sections:
                raise PabulibError(
                    gettext_noop("The section %(section)s appears a second time."),
                    line=line,
                    section=title.upper(),
                )
            sections[title] = (line, line, [], [])
            current = title
            expect_header = True
            continue
        if current is None:
            raise PabulibError(
                gettext_noop("The file must start with the section META, not with %(text)s."),
                line=line,
                text=";".join(row)[:40],
            )
        if expect_header:
            sections[current] = (sections[current][0], line, row, [])
            expect_header = False
            continue
        sections[current][3].append((line, row))
    for section in SECTIONS:
        if section not in sections:
            raise PabulibError(
                gettext_noop("The file has no section %(section)s."), section=section.upper()
            )
        if not sections[section][2]:
            raise PabulibError(
                gettext_noop("The section %(section)s has no header line."),
                line=sections[section][0],
                section=section.upper(),
            )
    return sections


def _columns(section, header, line, required):
    for name in required:
        if name not in header:
            raise PabulibError(
                gettext_noop("The header of %(section)s has no column %(column)s."),
                line=line,
                section=section.upper(),
                column=name,
            )
    if len(set(header)) < len(header):
        raise PabulibError(
            gettext_noop("The header of %(section)s names a column twice."),
            line=line,
            section=section.upper(),
        )
    return {name: position for position, name in enumerate(header)}


def _fields(section, header, line, row) -> list[str]:
    if len(row) != len(header):
        raise PabulibError(
            gettext_noop(
                "This row of %(section)s has %(found)s values where the header has %(expected)s."
            ),
            line=line,
            section=section.upper(),
            found=len(row),
            expected=len(header),
        )
    return row


def read(source) -> PabulibVote:
    """Read a Pabulib approval vote from the file's text, a file object or a path.

    Raises PabulibError, saying what is wrong and where, for anything that is not one.
    """
    sections = _sections(_text(source))

    meta: dict[str, str] = {}
    meta_lines: dict[str, int] = {}
    _, line, header, rows = sections["meta"]
    for line, row in rows:
        if len(row) < 2 or not row[0]:
            raise PabulibError(
                gettext_noop("A META row must be a key and a value: key;value."), line=line
            )
        if row[0] in meta:
            raise PabulibError(
                gettext_noop("The key %(key)s appears twice in META."), line=line, key=row[0]
            )
        meta[row[0]] = row[1]
        meta_lines[row[0]] = line
    meta_line = sections["meta"][0]
    vote_type = meta.get("vote_type")
    if vote_type is None:
        raise PabulibError(gettext_noop("META has no vote_type."), line=meta_line)
    if vote_type.lower() not in APPROVAL_TYPES:
        raise PabulibError(
            gettext_noop(
                "The vote type is %(vote_type)s; only approval votes can be counted here."
            ),
            line=meta_lines["vote_type"],
            vote_type=vote_type,
        )
    if "budget" not in meta:
        raise PabulibError(gettext_noop("META has no budget."), line=meta_line)
    try:
        budget = _number(meta["budget"])
    except InvalidOperation:
        raise PabulibError(
            gettext_noop("The budget %(value)s is not a number."),
            line=meta_lines["budget"],
            value=meta["budget"],
        ) from None
    if budget < 0:
        raise PabulibError(
            gettext_noop("The budget %(value)s is below zero."),
            line=meta_lines["budget"],
            value=budget,
        )

    _, line, header, rows = sections["projects"]
    columns = _columns("projects", header, line, ("project_id", "cost"))
    projects: list[Project] = []
    seen: set[str] = set()
    for line, row in rows:
        values = _fields("projects", header, line, row)
        project_id = values[columns["project_id"]]
        if not project_id or _missing(project_id) or "," in project_id:
            raise PabulibError(
                gettext_noop("%(value)s cannot be a project id."), line=line, value=project_id
            )
        if project_id in seen:
            raise PabulibError(
                gettext_noop("The project id %(project)s appears twice."),
                line=line,
                project=project_id,
            )
        seen.add(project_id)
        try:
            cost = _number(values[columns["cost"]])
        except InvalidOperation:
            raise PabulibError(
                gettext_noop("The cost of project %(project)s, %(value)s, is not a number."),
                line=line,
                project=project_id,
                value=values[columns["cost"]],
            ) from None
        if cost < 0:
            raise PabulibError(
                gettext_noop("The cost of project %(project)s is below zero."),
                line=line,
                project=project_id,
            )
        name = values[columns["name"]] if "name" in columns else ""
        projects.append(Project(project_id, cost, "" if _missing(name) else name))

    _, line, header, rows = sections["votes"]
    # pabutools leaves the vote column out of a file without votes.
    columns = _columns("votes", header, line, ("voter_id", "vote") if rows else ("voter_id",))
    ballots: list[list[str]] = []
    voter_ids: list[str] = []
    voters: set[str] = set()
    for line, row in rows:
        values = _fields("votes", header, line, row)
        voter_id = values[columns["voter_id"]]
        if voter_id in voters:
            raise PabulibError(
                gettext_noop("The voter id %(voter)s appears twice."), line=line, voter=voter_id
            )
        voters.add(voter_id)
        vote = values[columns["vote"]]
        chosen: list[str] = []
        for project_id in ("" if _missing(vote) else vote).split(","):
            project_id = project_id.strip()
            if not project_id or project_id in chosen:
                continue
            if project_id not in seen:
                raise PabulibError(
                    gettext_noop(
                        "Voter %(voter)s votes for project %(project)s, which is not in PROJECTS."
                    ),
                    line=line,
                    voter=voter_id,
                    project=project_id,
                )
            chosen.append(project_id)
        ballots.append(chosen)
        voter_ids.append(voter_id)

    for key, count in (("num_projects", len(projects)), ("num_votes", len(ballots))):
        if key in meta and not _missing(meta[key]):
            try:
                stated = _number(meta[key])
            except InvalidOperation:
                stated = None
            if stated != count:
                raise PabulibError(
                    gettext_noop("META says %(key)s is %(stated)s, but the file has %(count)s."),
                    line=meta_lines[key],
                    key=key,
                    stated=meta[key],
                    count=count,
                )
    return PabulibVote(meta, projects, ballots, voter_ids)


# --- writing ----------------------------------------------------------------------------------


def _number_text(value) -> str:
    """A number as written in a file: an int, a Decimal, or text that reads as one."""
    if isinstance(value, str):
        try:
            _number(value)
        except InvalidOperation:
            pass
        else:
            return value.strip()
    elif not isinstance(value, bool) and isinstance(value, int | Decimal):
        return str(value)
    raise PabulibError("%(value)s is not a whole number or a Decimal.", value=repr(value))


def write(
    meta: dict,
    projects: Iterable[Project],
    ballots: Iterable,
    voter_ids: Iterable | None = None,
) -> str:
    """The text of a Pabulib approval vote.

    meta must give the budget; num_projects, num_votes and vote_type are filled in, and the
    other keys are written as given (Pabulib also expects description, country, unit and
    instance). projects are Project objects (or anything with id, cost and name). A ballot is a
    collection of project ids or a Ballot; a Ballot of weight w is written as w identical voters,
    as Pabulib has no weights. voter_ids, one per ballot, default to 1, 2, 3...; the copies of a
    weighted ballot get `-2`, `-3`... after its id.
    """
    projects = list(projects)
    ballots = list(ballots)
    if "budget" not in meta:
        raise PabulibError(gettext_noop("META has no budget."))
    known: dict[str, int] = {}
    for project in projects:
        project_id = project.id
        if (
            not isinstance(project_id, str)
            or not project_id
            or project_id != project_id.strip()
            or "," in project_id
            or _missing(project_id)
        ):
            raise PabulibError(
                gettext_noop("%(value)s cannot be a project id."), value=repr(project_id)
            )
        if project_id in known:
            raise PabulibError(
                gettext_noop("The project id %(project)s appears twice."), project=project_id
            )
        known[project_id] = 0
        _number_text(project.cost)
    if voter_ids is None:
        voter_ids = [str(number) for number in range(1, len(ballots) + 1)]
    else:
        voter_ids = [str(voter) for voter in voter_ids]
        if len(voter_ids) != len(ballots):
            raise ValueError("give one voter id per ballot")

    rows: list[tuple[str, str]] = []
    for voter_id, ballot in zip(voter_ids, ballots, strict=True):
        if isinstance(ballot, Ballot):
            chosen, weight = ballot.projects, ballot.weight
        else:
            chosen, weight = ballot, 1
        if isinstance(chosen, str):
            raise ValueError("a ballot is a collection of project ids, not a string")
        ordered = [project_id for project_id in known if project_id in set(chosen)]
        unknown = sorted(str(c) for c in set(chosen) if c not in known)
        if unknown:
            raise PabulibError(
                gettext_noop(
                    "Voter %(voter)s votes for project %(project)s, which is not in PROJECTS."
                ),
                voter=voter_id,
                project=unknown[0],
            )
        for project_id in ordered:
            known[project_id] += weight
        for copy in range(weight):
            rows.append((voter_id if copy == 0 else f"{voter_id}-{copy + 1}", ",".join(ordered)))
    seen: set[str] = set()
    for voter_id, _ in rows:
        if voter_id in seen:
            raise PabulibError(
                gettext_noop("The voter id %(voter)s appears twice."), voter=voter_id
            )
        seen.add(voter_id)

    written = {key: str(value) for key, value in meta.items()}
    written["budget"] = _number_text(meta["budget"])
    written["vote_type"] = "approval"
    written["num_projects"] = str(len(projects))
    written["num_votes"] = str(len(rows))

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    for key, value in written.items():
        writer.writerow([key, value])
    named = any(getattr(project, "name", "") for project in projects)
    writer.writerow(["PROJECTS"])
    writer.writerow(["project_id", "cost", "votes"] + (["name"] if named else []))
    for project in projects:
        row = [project.id, _number_text(project.cost), str(known[project.id])]
        if named:
            row.append(getattr(project, "name", "") or "None")
        writer.writerow(row)
    writer.writerow(["VOTES"])
    writer.writerow(["voter_id", "vote"])
    for voter_id, vote in rows:
        writer.writerow([voter_id, vote])
    return out.getvalue()
