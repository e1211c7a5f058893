"""A report as a Slack message: the key figures, the chart (an uploaded file), the pairs, in Block Kit."""

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    ImageBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.blocks.basic_components import SlackFile

from bot.reports.figures import PairFigures, Report
from bot.reports.text import DASH, duration, percent, subject
from bot.slack.message import Message
from bot.slack.text import day, escape, request_ref

MAX_PAIRS = 15  # the rest are in the CSV


def report_message(report: Report, *, chart_file: str | None, customer_side: Report | None = None) -> Message:
    """``customer_side``: the same department's figures as a customer, for those who may see them."""
    title = f"{subject(report)}: service report"
    blocks: list[Block] = [
        HeaderBlock(text=title[:150]),
        ContextBlock(elements=[MarkdownTextObject(text=f"{escape(report.period.label)} · business hours")]),
    ]
    if not report.pairs:
        blocks.append(SectionBlock(text="No requests in this period."))
    else:
        blocks += [SectionBlock(fields=_key_figures(report.total))]
        if chart_file is not None:
            blocks.append(
                ImageBlock(
                    slack_file=SlackFile(id=chart_file),
                    alt_text=f"Requests per week and targets met per week, {report.period.label}",
                    title=f"{subject(report)}: the last 12 weeks",
                )
            )
        blocks += [DividerBlock(), *_pairs(report)]
    if customer_side is not None and customer_side.pairs:
        blocks += [DividerBlock(), SectionBlock(text=f"*As a customer* ({escape(subject(customer_side))})")]
        blocks += _pairs(customer_side, by_provider=True)
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text="Every pair's figures are in the CSV below.")]))
    return Message(text=f"{title}, {report.period.label}", blocks=blocks)


def target(met: int, breached: int, share: float | None) -> str:
    return f"{percent(share)} met ({met}/{met + breached})" if share is not None else DASH


def rating(average: float | None, count: int) -> str:
    if not count:
        return "no ratings"
    shown = f"{average:.1f}" if average is not None else "hidden (too few people)"
    return f"{shown} from {count}"


def _key_figures(total: PairFigures) -> list[MarkdownTextObject]:
    oldest = total.oldest_open
    backlog = f"{total.open} open" + (
        f", oldest {request_ref(oldest.number)} from {day(oldest.filed_at.date())}" if oldest else ""
    )
    first = target(total.first_response_met, total.first_response_breached, total.first_response_attainment)
    resolution = target(total.resolution_met, total.resolution_breached, total.resolution_attainment)
    return [
        MarkdownTextObject(text=f"*Requests*\n{total.filed} filed · {total.resolved} resolved\n{backlog}"),
        MarkdownTextObject(
            text=f"*Ratings*\nby requesters: {rating(total.rating_average, total.rating_count)}\n"
            f"of requests: {rating(total.request_rating_average, total.request_rating_count)}"
        ),
        MarkdownTextObject(
            text=f"*First response*\n{first}\nmedian {duration(total.median_first_response_minutes)}, "
            f"90% within {duration(total.p90_first_response_minutes)}"
        ),
        MarkdownTextObject(
            text=f"*Resolution*\n{resolution}\nmedian {duration(total.median_resolution_minutes)}, "
            f"90% within {duration(total.p90_resolution_minutes)}"
        ),
        MarkdownTextObject(
            text=f"*Waiting on requesters*\n{duration(total.waiting_on_requester_minutes)}{_answers(total)}\n"
            f"{total.transfers_in} transferred in, {total.transfers_out} out, {total.reopens} reopened"
        ),
    ]


def _answers(total: PairFigures) -> str:
    """How the requesters' answers owed under ``customer_response`` went, where any fell due."""
    share = total.customer_response_attainment
    met, breached = total.customer_response_met, total.customer_response_breached
    return f", answered in time: {target(met, breached, share)}" if share is not None else ""


def _pairs(report: Report, *, by_provider: bool = False) -> list[Block]:
    lines = []
    for pair in sorted(report.pairs, key=lambda p: -p.filed)[:MAX_PAIRS]:
        other = escape(report.name(pair.provider if by_provider else pair.customer))
        first = percent(pair.first_response_attainment) if pair.first_response_attainment is not None else DASH
        resolution = percent(pair.resolution_attainment) if pair.resolution_attainment is not None else DASH
        lines.append(
            f"*{other}*: {pair.filed} filed, {pair.open} open · first response {first} · resolution {resolution}"
            f" · rating {rating(pair.rating_average, pair.rating_count)}"
        )
    more = len(report.pairs) - MAX_PAIRS
    if more > 0:
        lines.append(f"…and {more} more in the CSV.")
    return [SectionBlock(text="\n".join(lines)[:3000])]
