"""``[[services]]`` in the org file: each department's catalog, checked like every other table, and applied."""

import pytest

from bot.domain.durations import Duration, Unit
from bot.domain.services import Field
from bot.org.apply import apply_org
from bot.org.model import OrgFileError, load_org_text
from storage import org_snapshot
from storage.db import SessionScope
from storage.service_models import Service

ORG = """\
[organization]
timezone = "Europe/Berlin"

[departments.it]
name = "IT Support"
channel = "C0IT"

[departments.hr]
name = "HR"
channel = "C0HR"

[[agreements]]
provider = "it"
first_response = "4h"
resolution = "2d"
"""

LAPTOP = """
[[services]]
department = "it"
id = "laptop"
name = "New laptop"
description = "A laptop for a new or current employee"
priority = "high"
resolution = "5d"
requester_provides = ["Your cost centre", "Your manager's approval"]

[[services.fields]]
id = "model"
label = "Model"
type = "select"
options = ["MacBook Air", "ThinkPad X1"]
required = true

[[services.fields]]
id = "start"
label = "Start date"
type = "date"
"""


def _problems(text: str) -> list[str]:
    with pytest.raises(OrgFileError) as raised:
        load_org_text(ORG + text, "org.toml")
    return [str(problem) for problem in raised.value.problems]


def test_a_service_with_its_fields_and_what_to_bring() -> None:
    (laptop,) = load_org_text(ORG + LAPTOP).services
    assert (laptop.id, laptop.department, laptop.name, laptop.priority) == ("laptop", "it", "New laptop", "high")
    assert (laptop.first_response, laptop.resolution) == (None, Duration(5, Unit.WORKING_DAYS))
    assert laptop.requester_provides == ("Your cost centre", "Your manager's approval")
    assert laptop.fields == (
        Field("model", "Model", "select", ("MacBook Air", "ThinkPad X1"), required=True),
        Field("start", "Start date", "date"),
    )


def test_fields_may_be_written_inline() -> None:
    text = """
[[services]]
department = "hr"
id = "letter"
name = "Employment letter"
fields = [{ id = "for", label = "Addressed to", type = "text", required = true }]
"""
    (letter,) = load_org_text(ORG + text).services
    assert letter.fields == (Field("for", "Addressed to", "text", required=True),)
    assert (letter.description, letter.priority, letter.requester_provides) == ("", None, ())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[[services]]\ndepartment = "legal"\nid = "nda"\nname = "NDA"\n',
            "org.toml:18: services[0].department: unknown department 'legal' (known: hr, it)",
        ),
        (
            '[[services]]\ndepartment = "it"\nid = "a b"\nname = "X"\n',
            "org.toml:19: services[0].id: 'a b' is not an id: use letters, digits, - and _ (at most 64)",
        ),
        (
            '[[services]]\ndepartment = "it"\nid = "x"\nname = "X"\n'
            'fields = [{ id = "f", label = "F", type = "colour" }]\n',
            "org.toml:21: services[0].fields[0].type: 'colour' is not a field type: "
            "use one of text, long_text, select, date, user, number",
        ),
        (
            '[[services]]\ndepartment = "it"\nid = "x"\nname = "X"\n'
            'fields = [{ id = "f", label = "F", type = "select" }]\n',
            "org.toml:21: services[0].fields[0].options: missing: this key is required",
        ),
        (
            '[[services]]\ndepartment = "it"\nid = "x"\nname = "X"\n'
            'fields = [{ id = "f", label = "F", type = "text", options = ["a"] }]\n',
            "org.toml:21: services[0].fields[0].options: only a field of type select has options",
        ),
        (
            '[[services]]\ndepartment = "it"\nid = "x"\nname = "X"\nfirst_response = "3d"\nresolution = "1d"\n',
            "org.toml:21: services[0].first_response: 3d is longer than the resolution time 1d",
        ),
        (
            '[[services]]\ndepartment = "hr"\nid = "x"\nname = "X"\nresolution = "1d"\n',
            "org.toml:21: services[0].resolution: sets resolution but not first_response, and 'hr' has no agreement "
            'for every customer and priority (customer = "*", priority = "*") to take first_response from: '
            "set both here, or add one",
        ),
        (
            '[[services]]\ndepartment = "it"\nid = "x"\nname = "X"\ncolour = "red"\n',
            "org.toml:21: services[0].colour: unknown key (expected one of: department, id, name, description, "
            "priority, first_response, resolution, fields, requester_provides)",
        ),
    ],
)
def test_each_mistake_is_reported_at_its_line(text: str, expected: str) -> None:
    assert _problems("\n" + text) == [expected]


def test_a_service_id_is_unique_in_the_file() -> None:
    twice = LAPTOP + '\n[[services]]\ndepartment = "hr"\nid = "laptop"\nname = "Laptop for HR"\n'
    assert _problems(twice) == [
        "org.toml:40: services[1].id: services[0] already has the id 'laptop': a service's id is unique in the file, "
        "because reports group requests by it"
    ]


def test_fields_of_a_service_have_distinct_ids_and_options() -> None:
    text = """
[[services]]
department = "it"
id = "x"
name = "X"
fields = [
  { id = "f", label = "F", type = "select", options = ["a", "a"] },
  { id = "f", label = "G", type = "text" },
]
"""
    assert _problems(text) == [
        "org.toml:21: services[0].fields[0].options: each option once: a person could not tell two equal options apart",
        "org.toml:21: services[0].fields[1].id: another field of this service has the id 'f'",
    ]


def test_a_service_asks_at_most_twenty_fields() -> None:
    fields = ", ".join(f'{{ id = "f{n}", label = "F{n}", type = "text" }}' for n in range(21))
    text = f'\n[[services]]\ndepartment = "it"\nid = "x"\nname = "X"\nfields = [{fields}]\n'
    assert _problems(text) == [
        "org.toml:21: services[0].fields: a service asks at most 20 fields (the form must fit in one modal)"
    ]


def test_applying_stores_the_catalog_and_retires_a_service_that_left(session_scope: SessionScope) -> None:
    letter = '\n[[services]]\ndepartment = "hr"\nid = "letter"\nname = "Employment letter"\n'
    with session_scope() as session:
        apply_org(session, load_org_text(ORG + LAPTOP + letter))
    with session_scope() as session:
        snapshot = org_snapshot.current(session)
        assert [service.id for service in snapshot.offered("it")] == ["laptop"]
        laptop = snapshot.services["laptop"]
        assert (laptop.resolution, laptop.first_response, laptop.fields[0].options) == (
            "5d",
            None,
            ("MacBook Air", "ThinkPad X1"),
        )
    with session_scope() as session:
        apply_org(session, load_org_text(ORG + letter))
    with session_scope() as session:
        snapshot = org_snapshot.current(session)
        assert snapshot.offered("it") == []
        assert [service.id for service in snapshot.offered("hr")] == ["letter"]
        assert snapshot.services["laptop"].name == "New laptop"  # requests filed under it still show it
        row = session.get(Service, "laptop")
        assert row is not None
        assert not row.active
