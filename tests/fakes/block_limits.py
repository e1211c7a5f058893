"""Block Kit checks the fake Slack applies, with Slack's documented limits.

Errors read like Slack's own: ``"must be less than 3001 characters [json-pointer:/blocks/0/text/text]"``.
Only what Slack rejects is checked, so a payload that passes here may still look odd, but one that
fails here would fail against Slack too.
"""

from collections.abc import Iterator
from typing import Any

MESSAGE_BLOCKS = 50
SURFACE_BLOCKS = 100  # modals and the Home tab
ID_LENGTH = 255  # block_id, action_id, callback_id, external_id
PRIVATE_METADATA_LENGTH = 3000
MESSAGE_TEXT_LENGTH = 40_000

BLOCK_TYPES = frozenset(
    {
        "actions",
        "call",
        "context",
        "context_actions",
        "divider",
        "file",
        "header",
        "image",
        "input",
        "markdown",
        "rich_text",
        "section",
        "table",
        "video",
    }
)
SELECTS = frozenset(
    {
        "static_select",
        "external_select",
        "users_select",
        "conversations_select",
        "channels_select",
        "multi_static_select",
        "multi_external_select",
        "multi_users_select",
        "multi_conversations_select",
        "multi_channels_select",
    }
)
TEXT_INPUTS = frozenset({"plain_text_input", "email_text_input", "url_text_input", "number_input", "rich_text_input"})
INPUT_ELEMENTS = SELECTS | TEXT_INPUTS | {"checkboxes", "radio_buttons", "datepicker", "timepicker"}
INPUT_ELEMENTS |= {"datetimepicker", "file_input"}
ELEMENT_TYPES = INPUT_ELEMENTS | {"button", "overflow", "image", "workflow_button"}
OPTION_LIMITS = {"overflow": 5, "checkboxes": 10, "radio_buttons": 10}


class _Errors:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, pointer: str, message: str) -> None:
        self.messages.append(f"{message} [json-pointer:{pointer}]")


def message_errors(blocks: Any) -> list[str]:
    """What Slack lists under ``errors`` for a message's blocks; empty when Slack would accept them."""
    errors = _Errors()
    _check_blocks(blocks, "/blocks", MESSAGE_BLOCKS, errors)
    return errors.messages


def view_errors(view: Any, *, expected_type: str) -> list[str]:
    """What Slack lists under ``response_metadata.messages`` for a view (``modal`` or ``home``)."""
    errors = _Errors()
    if not isinstance(view, dict):
        errors.add("/view", "must be an object")
        return errors.messages
    if view.get("type") != expected_type:
        errors.add("/view/type", f"must be {expected_type}")
    if expected_type == "modal":
        _check_text(view.get("title"), "/view/title", 24, errors, plain=True)
        for key in ("submit", "close"):
            if key in view:
                _check_text(view[key], f"/view/{key}", 24, errors, plain=True)
        has_inputs = any(isinstance(b, dict) and b.get("type") == "input" for b in _as_list(view.get("blocks")))
        if has_inputs and "submit" not in view:
            errors.add("/view/submit", "must provide submit when the view has input blocks")
    _check_length(view.get("private_metadata"), "/view/private_metadata", PRIVATE_METADATA_LENGTH, errors)
    for key in ("callback_id", "external_id"):
        _check_length(view.get(key), f"/view/{key}", ID_LENGTH, errors)
    _check_blocks(view.get("blocks"), "/view/blocks", SURFACE_BLOCKS, errors)
    return [f"[ERROR] {message}" for message in errors.messages]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _check_blocks(blocks: Any, pointer: str, limit: int, errors: _Errors) -> None:
    if blocks is None:
        errors.add(pointer, "missing required field: blocks")
        return
    if not isinstance(blocks, list):
        errors.add(pointer, "must be an array")
        return
    if len(blocks) > limit:
        errors.add(pointer, f"must be less than {limit + 1} items")
    seen: set[str] = set()
    for index, block in enumerate(blocks):
        _check_block(block, f"{pointer}/{index}", errors)
        block_id = block.get("block_id") if isinstance(block, dict) else None
        if isinstance(block_id, str):
            if block_id in seen:
                errors.add(f"{pointer}/{index}/block_id", f"duplicate block_id: {block_id}")
            seen.add(block_id)


def _check_block(block: Any, pointer: str, errors: _Errors) -> None:
    if not isinstance(block, dict):
        errors.add(pointer, "must be an object")
        return
    kind = block.get("type")
    if kind not in BLOCK_TYPES:
        errors.add(f"{pointer}/type", f"unsupported type: {kind}")
        return
    _check_length(block.get("block_id"), f"{pointer}/block_id", ID_LENGTH, errors)
    checker = _BLOCK_CHECKS.get(kind)
    if checker is not None:
        checker(block, pointer, errors)


def _check_section(block: dict[str, Any], pointer: str, errors: _Errors) -> None:
    if "text" not in block and "fields" not in block:
        errors.add(pointer, "must provide either text or fields")
    if "text" in block:
        _check_text(block["text"], f"{pointer}/text", 3000, errors)
    if "fields" in block:
        fields = _as_list(block["fields"])
        if len(fields) > 10:
            errors.add(f"{pointer}/fields", "must be less than 11 items")
        for index, field in enumerate(fields):
            _check_text(field, f"{pointer}/fields/{index}", 2000, errors)
    if "accessory" in block:
        _check_element(block["accessory"], f"{pointer}/accessory", errors)


def _check_header(block: dict[str, Any], pointer: str, errors: _Errors) -> None:
    _check_text(block.get("text"), f"{pointer}/text", 150, errors, plain=True)


def _check_context(block: dict[str, Any], pointer: str, errors: _Errors) -> None:
    elements = _check_element_list(block, pointer, 10, errors)
    for index, element in enumerate(elements):
        if isinstance(element, dict) and element.get("type") == "image":
            _check_element(element, f"{pointer}/elements/{index}", errors)
        else:
            _check_text(element, f"{pointer}/elements/{index}", 3000, errors)


def _check_actions(block: dict[str, Any], pointer: str, errors: _Errors) -> None:
    elements = _check_element_list(block, pointer, 25, errors)
    seen: set[str] = set()
    for index, element in enumerate(elements):
        _check_element(element, f"{pointer}/elements/{index}", errors)
        action_id = element.get("action_id") if isinstance(element, dict) else None
        if isinstance(action_id, str):
            if action_id in seen:
                errors.add(f"{pointer}/elements/{index}/action_id", f"duplicate action_id: {action_id}")
            seen.add(action_id)


def _check_input(block: dict[str, Any], pointer: str, errors: _Errors) -> None:
    _check_text(block.get("label"), f"{pointer}/label", 2000, errors, plain=True)
    if "hint" in block:
        _check_text(block["hint"], f"{pointer}/hint", 2000, errors, plain=True)
    element = block.get("element")
    if element is None:
        errors.add(f"{pointer}/element", "must provide an element")
    elif isinstance(element, dict) and element.get("type") not in INPUT_ELEMENTS:
        errors.add(f"{pointer}/element/type", f"unsupported input element type: {element.get('type')}")
    else:
        _check_element(element, f"{pointer}/element", errors)


def _check_image_block(block: dict[str, Any], pointer: str, errors: _Errors) -> None:
    _check_image(block, pointer, errors)
    if "title" in block:
        _check_text(block["title"], f"{pointer}/title", 2000, errors, plain=True)


def _check_markdown(block: dict[str, Any], pointer: str, errors: _Errors) -> None:
    _check_length(block.get("text"), f"{pointer}/text", 12_000, errors, required=True)


_BLOCK_CHECKS = {
    "section": _check_section,
    "header": _check_header,
    "context": _check_context,
    "actions": _check_actions,
    "input": _check_input,
    "image": _check_image_block,
    "markdown": _check_markdown,
}


def _check_element_list(block: dict[str, Any], pointer: str, limit: int, errors: _Errors) -> list[Any]:
    elements = block.get("elements")
    if not isinstance(elements, list) or not elements:
        errors.add(f"{pointer}/elements", "must provide at least 1 item")
        return []
    if len(elements) > limit:
        errors.add(f"{pointer}/elements", f"must be less than {limit + 1} items")
    return elements


def _check_element(element: Any, pointer: str, errors: _Errors) -> None:
    if not isinstance(element, dict):
        errors.add(pointer, "must be an object")
        return
    kind = element.get("type")
    if kind not in ELEMENT_TYPES:
        errors.add(f"{pointer}/type", f"unsupported element type: {kind}")
        return
    _check_length(element.get("action_id"), f"{pointer}/action_id", ID_LENGTH, errors)
    if "placeholder" in element:
        _check_text(element["placeholder"], f"{pointer}/placeholder", 150, errors, plain=True)
    if "confirm" in element:
        _check_confirm(element["confirm"], f"{pointer}/confirm", errors)
    if kind == "button":
        _check_button(element, pointer, errors)
    elif kind == "image":
        _check_image(element, pointer, errors)
    elif "options" in element or kind in OPTION_LIMITS or kind in {"static_select", "multi_static_select"}:
        _check_options(element, pointer, errors)


def _check_button(button: dict[str, Any], pointer: str, errors: _Errors) -> None:
    _check_text(button.get("text"), f"{pointer}/text", 75, errors, plain=True)
    _check_length(button.get("value"), f"{pointer}/value", 2000, errors)
    _check_length(button.get("url"), f"{pointer}/url", 3000, errors)
    if "style" in button and button["style"] not in ("primary", "danger"):
        errors.add(f"{pointer}/style", "must be one of: primary, danger")


def _check_image(image: dict[str, Any], pointer: str, errors: _Errors) -> None:
    if "image_url" not in image and "slack_file" not in image:
        errors.add(pointer, "must provide either image_url or slack_file")
    _check_length(image.get("image_url"), f"{pointer}/image_url", 3000, errors)
    _check_length(image.get("alt_text"), f"{pointer}/alt_text", 2000, errors, required=True)


def _check_options(element: dict[str, Any], pointer: str, errors: _Errors) -> None:
    options = list(_all_options(element))
    if not options and "option_groups" not in element:
        errors.add(f"{pointer}/options", "must provide at least 1 item")
    limit = OPTION_LIMITS.get(str(element.get("type")), 100)
    if len(_as_list(element.get("options"))) > limit:
        errors.add(f"{pointer}/options", f"must be less than {limit + 1} items")
    for option_pointer, option in options:
        _check_option(option, f"{pointer}/{option_pointer}", errors)
    values = {option.get("value") for _, option in options if isinstance(option, dict)}
    initial = [element["initial_option"]] if "initial_option" in element else _as_list(element.get("initial_options"))
    for chosen in initial:
        if not isinstance(chosen, dict) or chosen.get("value") not in values:
            errors.add(f"{pointer}/initial_option", "must match one of the options")


def _all_options(element: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    for index, option in enumerate(_as_list(element.get("options"))):
        yield f"options/{index}", option
    for group_index, group in enumerate(_as_list(element.get("option_groups"))):
        group_options = group.get("options") if isinstance(group, dict) else None
        for index, option in enumerate(_as_list(group_options)):
            yield f"option_groups/{group_index}/options/{index}", option


def _check_option(option: Any, pointer: str, errors: _Errors) -> None:
    if not isinstance(option, dict):
        errors.add(pointer, "must be an object")
        return
    _check_text(option.get("text"), f"{pointer}/text", 75, errors)
    _check_length(option.get("value"), f"{pointer}/value", 150, errors, required=True)
    if "description" in option:
        _check_text(option["description"], f"{pointer}/description", 75, errors)


def _check_confirm(confirm: Any, pointer: str, errors: _Errors) -> None:
    if not isinstance(confirm, dict):
        errors.add(pointer, "must be an object")
        return
    _check_text(confirm.get("title"), f"{pointer}/title", 100, errors, plain=True)
    _check_text(confirm.get("text"), f"{pointer}/text", 300, errors)
    _check_text(confirm.get("confirm"), f"{pointer}/confirm", 30, errors, plain=True)
    _check_text(confirm.get("deny"), f"{pointer}/deny", 30, errors, plain=True)


def _check_text(text: Any, pointer: str, limit: int, errors: _Errors, *, plain: bool = False) -> None:
    """A text object: ``{"type": "plain_text" | "mrkdwn", "text": ...}``, non-empty and within ``limit``."""
    if not isinstance(text, dict):
        errors.add(pointer, "must provide an object" if text is None else "must be an object")
        return
    allowed = ("plain_text",) if plain else ("plain_text", "mrkdwn")
    if text.get("type") not in allowed:
        errors.add(f"{pointer}/type", f"must be {' or '.join(allowed)}")
    _check_length(text.get("text"), f"{pointer}/text", limit, errors, required=True)


def _check_length(value: Any, pointer: str, limit: int, errors: _Errors, *, required: bool = False) -> None:
    if value is None:
        if required:
            errors.add(pointer, "must provide a string")
        return
    if not isinstance(value, str):
        errors.add(pointer, "must be a string")
    elif required and not value:
        errors.add(pointer, "must be more than 0 characters")
    elif len(value) > limit:
        errors.add(pointer, f"must be less than {limit + 1} characters")
