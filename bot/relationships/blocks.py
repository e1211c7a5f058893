"""The map in Slack: the picture with what concerns the asker's departments, in their DM; a manager's App Home list."""

from collections.abc import Sequence

from slack_sdk.models.blocks import Block, ContextBlock, HeaderBlock, ImageBlock, MarkdownTextObject, SectionBlock
from slack_sdk.models.blocks.basic_components import SlackFile

from bot.relationships.figures import Finding, RelationshipMap
from bot.slack.message import Message
from bot.slack.text import escape, escaped

MAX_FINDINGS = 20  # in a DM (a message takes 50 blocks); `inhouse map` lists them all
HOME_FINDINGS = 5  # per department, in App Home
TITLES = {
    "strained": "Strained",
    "no_agreement": "No agreement",
    "one_sided": "One-sided",
    "no_traffic": "Declared, no requests",
    "undeclared": "Undeclared",
}
SECTION_TEXT = 3000


def _period(relationships: RelationshipMap) -> str:
    declared = (
        f"declared in the check-up of {relationships.checkup_closed:%d %b %Y}"
        if relationships.checkup_closed is not None
        else "no check-up has closed yet, so nothing is declared"
    )
    return f"Requests of the last {relationships.days} days · {declared}"


def finding_text(relationships: RelationshipMap, finding: Finding) -> str:
    pair = f"{relationships.name(finding.provider)} → {relationships.name(finding.customer)}"
    lines = [f"*{TITLES[finding.kind]}*: {escape(pair)}", escape(finding.reason)]
    for snippet in (finding.proposal or {}).values():
        if isinstance(snippet, str) and "\n" in snippet:
            lines.append(f"```{escape(snippet.rstrip())}```")
    text = "\n".join(lines)
    return text if len(text) <= SECTION_TEXT else escaped(f"{pair}: {finding.reason}", SECTION_TEXT)


def map_message(
    relationships: RelationshipMap, chart_file: str, findings: Sequence[Finding], departments: Sequence[str]
) -> Message:
    blocks: list[Block] = [
        HeaderBlock(text="Who serves whom"),
        ContextBlock(elements=[MarkdownTextObject(text=_period(relationships))]),
        ImageBlock(
            slack_file=SlackFile(id=chart_file),
            alt_text=f"The departments and who serves whom, {relationships.days} days",
            title="Arrows go from provider to customer",
        ),
    ]
    names = " & ".join(escape(relationships.name(d)) for d in departments)
    if not departments:
        blocks.append(SectionBlock(text="Inhouse does not know your department, so no finding is listed for you."))
    elif not findings:
        blocks.append(SectionBlock(text=f"Nothing to act on between {names} and the other departments."))
    else:
        blocks.append(SectionBlock(text=f"*What concerns {names}* ({len(findings)})"))
        blocks += [SectionBlock(text=finding_text(relationships, f)) for f in findings[:MAX_FINDINGS]]
        if len(findings) > MAX_FINDINGS:
            more = f"…and {len(findings) - MAX_FINDINGS} more: `inhouse map` lists them all."
            blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    return Message(text=f"Who serves whom: {len(findings)} findings for you", blocks=blocks)


def home_blocks(relationships: RelationshipMap, department: str, findings: Sequence[Finding]) -> list[Block]:
    name = relationships.name(department)
    blocks: list[Block] = [HeaderBlock(text=f"{name}: relationships to act on"[:150])]
    if not findings:
        note = f"Nothing to act on between {escape(name)} and the other departments. {_period(relationships)}."
        return [*blocks, ContextBlock(elements=[MarkdownTextObject(text=note)])]
    blocks += [SectionBlock(text=finding_text(relationships, f)) for f in findings[:HOME_FINDINGS]]
    more = (
        f" {len(findings) - HOME_FINDINGS} more, and the map: `/inhouse map`." if len(findings) > HOME_FINDINGS else ""
    )
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"{_period(relationships)}.{more}")]))
    return blocks
