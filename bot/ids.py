"""Every callback_id, action_id and block_id, once."""

from enum import StrEnum


class Callback(StrEnum):
    REQUEST = "request_modal"
    TURN_INTO_REQUEST = "turn_into_request"  # the message shortcut (manifest.yml)
    RESOLVE = "resolve_modal"
    TRANSFER = "transfer_modal"
    PAUSE = "pause_modal"  # waiting on the requester: what the provider asks them
    ANSWER = "answer_modal"  # the requester's answer, from their DM
    FEEDBACK = "feedback_modal"
    FEEDBACK_REPLY = "feedback_reply_modal"
    RATING_COMMENT = "rating_comment_modal"
    RETRO_ENTRY = "retro_entry_modal"
    RETRO_ACTION = "retro_action_modal"
    CHECKUP = "checkup_modal"


class Action(StrEnum):
    ACKNOWLEDGE = "request_acknowledge"
    PAUSE = "request_pause"
    RESUME = "request_resume"
    TRANSFER = "request_transfer"
    RESOLVE = "request_resolve"
    REOPEN = "request_reopen"
    TAKE = "request_take"
    CHANGE_PRIORITY = "request_priority"
    OPEN_CARD = "request_open_card"
    ANSWER = "request_answer"  # Reply, in the requester's DMs while a request waits on them
    FEEDBACK_REPLY = "feedback_reply"
    RATE_SERVICE = "rate_service"  # a prefix: the buttons are rate_service_1 … rate_service_5
    RATE_REQUEST = "rate_request"  # a prefix, likewise
    RATING_COMMENT = "rating_comment"
    RETRO_ADD_ENTRY = "retro_add_entry"  # value: "{retro id}:{kind}"
    RETRO_ADD_ACTION = "retro_add_action"
    RETRO_ACTION_DONE = "retro_action_done"
    FULL_REPORT = "report_full"  # App Home's button; value: the department id
    CHECKUP_OPEN = "checkup_open"  # the check-up DM's button; value: the check-up id
    # inputs inside modals
    DEPARTMENT = "department"
    SERVICE = "service"
    FIELD = "service_field"  # every field of a service: its block tells them apart
    REQUESTER = "requester"
    PRIORITY = "priority"
    DESCRIPTION = "description"
    NEEDED_BY = "needed_by"
    REQUESTER_DEPARTMENT = "requester_department"
    NOTE = "note"
    FEEDBACK_REQUEST = "feedback_request"
    RATING = "rating"
    WENT_WELL = "went_well"
    COULD_BE_BETTER = "could_be_better"
    ANONYMOUS = "anonymous"
    REPLY = "reply"
    COMMENT = "comment"
    RETRO_TEXT = "retro_text"
    RETRO_SIGN = "retro_sign"
    RETRO_OWNER = "retro_owner"
    RETRO_DUE = "retro_due"
    CHECKUP_QUESTIONS = "checkup_questions"
    CHECKUP_OBSTACLE = "checkup_obstacle"


class BlockId(StrEnum):
    DEPARTMENT = "department"
    SERVICE = "service"  # a prefix: service:{department}, one menu per department (bot.requests.request_modal)
    FIELD = "service_field"  # a prefix: service_field:{service}:{field}
    REQUESTER = "requester"
    PRIORITY = "priority"  # alone, or priority:{service} (a service starts it at its own)
    DESCRIPTION = "description"
    NEEDED_BY = "needed_by"
    REQUESTER_DEPARTMENT = "requester_department"
    NOTE = "note"
    CARD_ACTIONS = "card_actions"
    FEEDBACK_REQUEST = "feedback_request"
    RATING = "rating"
    WENT_WELL = "went_well"
    COULD_BE_BETTER = "could_be_better"
    ANONYMOUS = "anonymous"
    REPLY = "reply"
    COMMENT = "comment"
    FEEDBACK_ACTIONS = "feedback_actions"
    RATING_ACTIONS = "rating_actions"
    RETRO_TEXT = "retro_text"
    RETRO_SIGN = "retro_sign"
    RETRO_OWNER = "retro_owner"
    RETRO_DUE = "retro_due"
    RETRO_ACTIONS = "retro_actions"
    CHECKUP_ABOUT = "checkup_about"  # a prefix: checkup_about:{department id}, the statements about it
    CHECKUP_OBSTACLE = "checkup_obstacle"  # a prefix likewise: what gets in the way between us and them
