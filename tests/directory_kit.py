"""A company of 300 people in the fake Slack (emails, user groups, 250 channels), and its org file written with
names only: emails, @groups and #channels."""

from dataclasses import dataclass

from tests.fakes.slack_api import FakeSlack

DEPARTMENTS = 10
PEOPLE_PER_DEPARTMENT = 30
OTHER_CHANNELS = 240  # before the departments' own: conversations.list needs more than one page to find them


def person(n: int) -> str:
    return f"U0P{n:03d}"


def email(n: int) -> str:
    return f"p{n:03d}@acme.com"


@dataclass(frozen=True)
class Company:
    org: str
    groups: dict[str, str]  # handle -> group id
    channels: dict[str, str]  # name -> channel id


def big_company(fake: FakeSlack) -> Company:
    """Everyone in the fake with an email; a group per department (its 24 members) and @leads (its managers)."""
    for n in range(DEPARTMENTS * PEOPLE_PER_DEPARTMENT):
        fake.set_user(person(n), email=email(n))
    channels = {f"chan-{n:03d}": fake.add_channel(f"chan-{n:03d}") for n in range(OTHER_CHANNELS)}
    groups = {"leads": fake.add_user_group("leads", [person(30 * d) for d in range(DEPARTMENTS)])}
    parts = ['[organization]\ntimezone = "Europe/Berlin"\nadmins = ["p000@acme.com", "@leads"]\n']
    parts.append('[calendars.default]\ndays = "mon-fri"\nhours = "09:00-17:00"\n')
    for d in range(DEPARTMENTS):
        first = d * PEOPLE_PER_DEPARTMENT
        channels[f"dept-{d:02d}"] = fake.add_channel(f"dept-{d:02d}", private=d % 2 == 1)
        groups[f"team-{d:02d}"] = fake.add_user_group(f"team-{d:02d}", [person(first + k) for k in range(1, 25)])
        by_email = ", ".join(f'"{email(first + k)}"' for k in range(25, 30))
        parts.append(
            f'[departments.d{d:02d}]\nname = "Department {d}"\nchannel = "#dept-{d:02d}"\n'
            f'managers = ["{email(first)}"]\nmembers = ["@team-{d:02d}", {by_email}]\nescalate_to = ["@leads"]\n'
        )
        parts.append(f'[[agreements]]\nprovider = "d{d:02d}"\nfirst_response = "4h"\nresolution = "2d"\n')
    parts.append('[[retros]]\ndepartment = "d00"\nchannel = "#dept-00"\ncron = "0 15 * * fri"\n')
    return Company("\n".join(parts), groups, channels)
