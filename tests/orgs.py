"""The org the handler tests run against: Monday 2026-11-23 10:00 in Berlin is 09:00 UTC."""

TEST_ORG = """
[organization]
timezone = "Europe/Berlin"

[calendars.office]
days = "mon-fri"
hours = "09:00-17:00"
holidays = "DE"

[departments.it]
name = "IT Support"
channel = "C0IT"
managers = ["U0ITMGR"]
members = ["U0ALICE", "U0BOB"]
calendar = "office"
escalate_to = ["U0CTO"]

[departments.hr]
name = "People & Culture"
channel = "C0HR"
managers = ["U0HRMGR"]
members = ["U0HANNA"]
calendar = "office"

[departments.sales]
name = "Sales"
channel = "C0SALES"
managers = ["U0SALESMGR"]
members = ["U0SAM"]
calendar = "office"

[[agreements]]
provider = "it"
customer = "*"
first_response = "4h"
resolution = "2d"

[[agreements]]
provider = "it"
customer = "*"
priority = "urgent"
first_response = "30m"
resolution = "4h"

[[agreements]]
provider = "hr"
customer = "*"
first_response = "1d"
resolution = "5d"
"""


def org_without_hr() -> str:
    """TEST_ORG after HR left the org file: its department and its agreement taken out."""
    before_hr, after_hr = TEST_ORG.split("[departments.hr]")
    without_hr = before_hr + "[departments.sales]" + after_hr.split("[departments.sales]")[1]
    return without_hr.split('[[agreements]]\nprovider = "hr"')[0]


# TEST_ORG where IT's normal agreement asks its customers to answer within 4h of theirs while a request waits on
# them, and Sales works in New York: 09:00-17:00 there is 14:00-22:00 UTC in November.
_SALES = '[departments.sales]\nname = "Sales"\nchannel = "C0SALES"\nmanagers = ["U0SALESMGR"]\nmembers = ["U0SAM"]\n'
SALES_IN_NEW_YORK = TEST_ORG.replace(
    _SALES + 'calendar = "office"',
    '[calendars.new_york]\ntimezone = "America/New_York"\ndays = "mon-fri"\nhours = "09:00-17:00"\n\n'
    + _SALES
    + 'calendar = "new_york"',
).replace(
    'first_response = "4h"\nresolution = "2d"', 'first_response = "4h"\nresolution = "2d"\ncustomer_response = "4h"'
)
