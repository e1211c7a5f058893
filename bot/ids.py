"""Every callback_id, action_id and block_id, once."""

from enum import StrEnum


class Callback(StrEnum):
    REQUEST = "request_modal"
    RESOLVE = "resolve_modal"
    TRANSFER = "transfer_modal"


class Action(StrEnum):
    ACKNOWLEDGE = "request_acknowledge"
    PAUSE = "request_pause"
    RESUME = "request_resume"
    TRANSFER = "request_transfer"
    RESOLVE = "request_resolve"
    REOPEN = "request_reopen"
    # inputs inside modals
    DEPARTMENT = "department"
    PRIORITY = "priority"
    DESCRIPTION = "description"
    NEEDED_BY = "needed_by"
    REQUESTER_DEPARTMENT = "requester_department"
    NOTE = "note"


class BlockId(StrEnum):
    DEPARTMENT = "department"
    PRIORITY = "priority"
    DESCRIPTION = "description"
    NEEDED_BY = "needed_by"
    REQUESTER_DEPARTMENT = "requester_department"
    NOTE = "note"
    CARD_ACTIONS = "card_actions"
