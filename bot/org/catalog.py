"""``[[services]]`` of the org file: what each department offers, read and checked like every other table.

```toml
[[services]]
department = "it"
id = "laptop"                 # unique in the file: reports group requests by it
name = "New laptop"
description = "A laptop for a new or current employee"
priority = "high"             # optional: what the request modal starts with
resolution = "5d"             # optional: overrides the department's agreement for this service
requester_provides = ["Your cost centre", "Your manager's approval"]

[[services.fields]]
id = "model"
label = "Model"
type = "select"               # text, long_text, select, date, user or number
options = ["MacBook Air", "ThinkPad X1"]
required = true
```
"""

from collections.abc import Collection, Mapping

from bot.domain import services
from bot.domain.agreements import WILDCARD
from bot.domain.durations import Duration
from bot.org import values
from bot.org.locator import KeyPath
from bot.org.reading import PRIORITIES, Problems, Table, array_of_tables, surely_longer

_SERVICE_KEYS = (
    "department",
    "id",
    "name",
    "description",
    "priority",
    "first_response",
    "resolution",
    "fields",
    "requester_provides",
)
_FIELD_KEYS = ("id", "label", "type", "options", "required")


def read_services(data: Mapping[str, object], org: Mapping[str, object], problems: Problems) -> list[dict[str, object]]:
    """The services, each checked against the departments and agreements ``org`` read (``read_org``'s fields)."""
    departments = org.get("departments")
    known = set(departments) if isinstance(departments, dict) else set()
    found = [
        _read_service(index, table, known, problems)
        for index, table in enumerate(array_of_tables(data, "services", problems))
    ]
    _check_unique(found, problems)
    _check_per_department(found, problems)
    agreements = org.get("agreements")
    _check_partial_overrides(found, agreements if isinstance(agreements, list) else [], problems)
    return found


def _read_service(
    index: int, data: Mapping[str, object], departments: Collection[str], problems: Problems
) -> dict[str, object]:
    path: KeyPath = ("services", index)
    table = Table(data, path, problems, _SERVICE_KEYS)
    table.read("department", values.parse_reference(departments, "department"))
    table.read("id", values.parse_id)
    table.read("name", values.parse_name)
    table.read("description", values.parse_text(services.DESCRIPTION_MAX), default="")
    table.read("priority", values.parse_choice(PRIORITIES, "priority"), default=None)
    table.read("first_response", values.parse_duration_value, default=None)
    table.read("resolution", values.parse_duration_value, default=None)
    table.read("requester_provides", _parse_provides, default=())
    table.values["fields"] = _read_fields(path, data.get("fields", []), problems)
    first, last = table.values.get("first_response"), table.values.get("resolution")
    if isinstance(first, Duration) and isinstance(last, Duration) and surely_longer(first, last):
        problems.add((*path, "first_response"), f"{first} is longer than the resolution time {last}")
    return table.values


def _parse_provides(value: object) -> tuple[str, ...]:
    lines = values.parse_list_of(values.parse_text(services.PROVIDES_LINE_MAX))(value)
    if len(lines) > services.PROVIDES_MAX:
        raise ValueError(f"list at most {services.PROVIDES_MAX} things, not {len(lines)}: the form shows them all")
    return lines


def _read_fields(path: KeyPath, fields: object, problems: Problems) -> list[dict[str, object]]:
    at: KeyPath = (*path, "fields")
    if not isinstance(fields, list) or not all(isinstance(field, dict) for field in fields):
        problems.add(at, "must be a list of tables: write [[services.fields]] before each field")
        return []
    if len(fields) > services.MAX_FIELDS:
        problems.add(at, f"a service asks at most {services.MAX_FIELDS} fields (the form must fit in one modal)")
    read = [_read_field((*at, index), field, problems) for index, field in enumerate(fields)]
    seen: set[object] = set()
    for index, field in enumerate(read):
        if field.get("id") in seen:
            problems.add((*at, index, "id"), f"another field of this service has the id {field['id']!r}")
        seen.add(field.get("id"))
    return read


def _read_field(path: KeyPath, data: Mapping[str, object], problems: Problems) -> dict[str, object]:
    table = Table(data, path, problems, _FIELD_KEYS)
    table.read("id", values.parse_id)
    table.read("label", values.parse_text(services.LABEL_MAX))
    table.read("type", values.parse_choice(services.FIELD_TYPES, "field type"))
    table.read("required", values.parse_bool, default=False)
    kind = table.values.get("type")
    if kind == "select":
        table.read("options", _parse_options)
    elif "options" in data:
        problems.add((*path, "options"), "only a field of type select has options")
    return table.values


def _parse_options(value: object) -> tuple[str, ...]:
    options = values.parse_list_of(values.parse_text(services.OPTION_MAX))(value)
    if not 1 <= len(options) <= services.MAX_OPTIONS:
        raise ValueError(f"a select offers 1 to {services.MAX_OPTIONS} options, not {len(options)}")
    if len(set(options)) < len(options):
        raise ValueError("each option once: a person could not tell two equal options apart")
    return options


def _check_unique(found: list[dict[str, object]], problems: Problems) -> None:
    seen: dict[object, int] = {}
    for index, service in enumerate(found):
        service_id = service.get("id")
        if service_id is None:
            continue
        if service_id in seen:
            problems.add(
                ("services", index, "id"),
                f"services[{seen[service_id]}] already has the id {service_id!r}: a service's id is unique in the "
                "file, because reports group requests by it",
            )
        seen.setdefault(service_id, index)


def _check_per_department(found: list[dict[str, object]], problems: Problems) -> None:
    counts: dict[object, int] = {}
    for index, service in enumerate(found):
        department = service.get("department")
        counts[department] = counts.get(department, 0) + 1
        if department is not None and counts[department] == services.MAX_SERVICES + 1:
            problems.add(
                ("services", index), f"{department!r} offers more than {services.MAX_SERVICES} services (Slack's menu)"
            )


def _check_partial_overrides(
    found: list[dict[str, object]], agreements: list[dict[str, object]], problems: Problems
) -> None:
    """A service that sets one target takes the other from its department's catch-all agreement: there must be one."""
    catch_alls = {
        agreement.get("provider")
        for agreement in agreements
        if agreement.get("customer") == WILDCARD and agreement.get("priority") == WILDCARD
    }
    for index, service in enumerate(found):
        first, resolution = service.get("first_response"), service.get("resolution")
        if (first is None) == (resolution is None) or service.get("department") in catch_alls:
            continue
        given, missing = ("first_response", "resolution") if first is not None else ("resolution", "first_response")
        problems.add(
            ("services", index, given),
            f"sets {given} but not {missing}, and {service.get('department')!r} has no agreement for every customer "
            f'and priority (customer = "*", priority = "*") to take {missing} from: set both here, or add one',
        )
