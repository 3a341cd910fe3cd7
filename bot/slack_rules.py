"""What Slack refuses, in one place: Block Kit's limits and the checks Slack makes on a
message, a view and a token. The views keep under these limits; the shell's Slack and the
tests' stand-in (both built on `bot.shell.workspace`) refuse what goes over them.

The limits are slack_sdk's own (its model classes carry them) where it has them; a payload
that passes the checks below is also run through slack_sdk's model validation
(`Block.parse(...).to_dict()`, `View(...).to_dict()`), so a rule slack_sdk knows and this
module does not still refuses. Problems read as Slack writes them:
`[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    InputBlock,
    SectionBlock,
)
from slack_sdk.models.blocks.block_elements import InteractiveElement
from slack_sdk.models.views import View

MESSAGE_BLOCKS = 50  # a message (chat.postMessage, chat.update, response_url)
VIEW_BLOCKS = View.blocks_max_length  # 100: a modal or the App Home
SECTION_TEXT = SectionBlock.text_max_length  # 3000
SECTION_FIELDS = SectionBlock.fields_max_length  # 10
FIELD_TEXT = 2000  # a section field's text
HEADER_TEXT = HeaderBlock.text_max_length  # 150
ACTIONS_ELEMENTS = ActionsBlock.elements_max_length  # 25
CONTEXT_ELEMENTS = ContextBlock.elements_max_length  # 10
INPUT_LABEL = InputBlock.label_max_length  # 2000
BUTTON_TEXT = ButtonElement.text_max_length  # 75
BUTTON_VALUE = ButtonElement.value_max_length  # 2000
ID_LENGTH = Block.block_id_max_length  # 255: block_id, action_id, callback_id
ACTION_ID = InteractiveElement.action_id_max_length  # 255
MODAL_TITLE = View.title_max_length  # 24: a modal's title, submit and close
PRIVATE_METADATA = View.private_metadata_max_length  # 3000
MESSAGE_TEXT = 40000  # a message's top-level text

# A method that takes only the app-level token (xapp-…); every other takes the bot token.
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})


def token_of(args: dict[str, Any], headers: dict[str, str]) -> str | None:
    """The token a Web API call carries: `Authorization: Bearer …` or a `token` argument."""
    auth = headers.get("authorization", "")
    token = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else None
    return token or args.get("token") or None


def auth_error(method: str, token: str | None, *, tokens: set[str], app_token: str) -> str | None:
    """Slack's answer to a call's token, or None when it may go on: `not_authed` without
    one, `invalid_auth` for one Slack does not know, `not_allowed_token_type` for the app
    token on a bot method or the bot token on an app-token method."""
    if not token:
        return "not_authed"
    if token not in tokens and token != app_token:
        return "invalid_auth"
    if (token == app_token) != (method in APP_TOKEN_METHODS):
        return "not_allowed_token_type"
    return None


def _text_len(obj: Any) -> int:
    return len(obj.get("text", "")) if isinstance(obj, dict) else 0


def _sdk_problem(check: Callable[[], Any], at: str) -> list[str]:
    """slack_sdk's model validation as a Slack problem, for what the checks here let by."""
    try:
        check()
    except (SlackObjectFormationError, TypeError, AttributeError) as e:
        return [f"[ERROR] {e} [json-pointer:{at}]"]
    return []


def check_blocks(blocks: Any, *, limit: int, pointer: str) -> list[str]:
    """Slack's Block Kit limits, as `[ERROR] ... [json-pointer:...]` messages (empty if fine)."""
    if not isinstance(blocks, list):
        return [f"[ERROR] must provide an array [json-pointer:{pointer}]"]
    problems: list[str] = []

    def too_long(at: str, n: int) -> None:
        problems.append(f"[ERROR] must be less than {n + 1} characters [json-pointer:{at}]")

    def too_many(at: str, n: int) -> None:
        problems.append(f"[ERROR] no more than {n} items allowed [json-pointer:{at}]")

    if len(blocks) > limit:
        too_many(pointer, limit)
    for i, block in enumerate(blocks):
        at = f"{pointer}/{i}"
        before = len(problems)
        if not isinstance(block, dict) or "type" not in block:
            problems.append(f"[ERROR] missing required field: type [json-pointer:{at}]")
            continue
        if len(block.get("block_id") or "") > ID_LENGTH:
            too_long(f"{at}/block_id", ID_LENGTH)
        kind = block["type"]
        if kind == "section":
            if "text" not in block and "fields" not in block:
                problems.append(f"[ERROR] must provide text or fields [json-pointer:{at}]")
            if _text_len(block.get("text")) > SECTION_TEXT:
                too_long(f"{at}/text/text", SECTION_TEXT)
            fields = block.get("fields") or []
            if len(fields) > SECTION_FIELDS:
                too_many(f"{at}/fields", SECTION_FIELDS)
            for j, f in enumerate(fields):
                if _text_len(f) > FIELD_TEXT:
                    too_long(f"{at}/fields/{j}/text", FIELD_TEXT)
            if block.get("accessory"):
                _check_element(block["accessory"], f"{at}/accessory", too_long)
        elif kind == "header":
            text = block.get("text") or {}
            if text.get("type") != "plain_text":
                problems.append(f"[ERROR] must be plain_text [json-pointer:{at}/text/type]")
            if _text_len(text) > HEADER_TEXT:
                too_long(f"{at}/text/text", HEADER_TEXT)
        elif kind == "actions":
            elements = block.get("elements") or []
            if len(elements) > ACTIONS_ELEMENTS:
                too_many(f"{at}/elements", ACTIONS_ELEMENTS)
            for j, e in enumerate(elements):
                _check_element(e, f"{at}/elements/{j}", too_long)
        elif kind == "context":
            if len(block.get("elements") or []) > CONTEXT_ELEMENTS:
                too_many(f"{at}/elements", CONTEXT_ELEMENTS)
        elif kind == "input":
            if _text_len(block.get("label")) > INPUT_LABEL:
                too_long(f"{at}/label/text", INPUT_LABEL)
            if isinstance(block.get("element"), dict):
                _check_element(block["element"], f"{at}/element", too_long)
        if len(problems) == before:
            problems += _sdk_problem(lambda b=block: Block.parse(b).to_dict(), at)
    return problems


def _check_element(element: Any, at: str, too_long: Callable[[str, int], None]) -> None:
    if not isinstance(element, dict):
        return
    if len(element.get("action_id") or "") > ACTION_ID:
        too_long(f"{at}/action_id", ACTION_ID)
    if element.get("type") == "button":
        if _text_len(element.get("text")) > BUTTON_TEXT:
            too_long(f"{at}/text/text", BUTTON_TEXT)
        if len(element.get("value") or "") > BUTTON_VALUE:
            too_long(f"{at}/value", BUTTON_VALUE)


def view_problems(view: Any, *, kind: str | None = None) -> list[str]:
    """What Slack finds wrong with a view for views.open/push/update (`kind` None: a modal
    or home) or views.publish (`kind="home"`); Slack answers them `invalid_arguments`."""
    if not isinstance(view, dict) or view.get("type") not in ("modal", "home"):
        return ["[ERROR] must be a valid view type [json-pointer:/view/type]"]
    if kind and view["type"] != kind:
        return [f"[ERROR] must be {kind} [json-pointer:/view/type]"]
    problems = check_blocks(view.get("blocks") or [], limit=VIEW_BLOCKS, pointer="/view/blocks")
    if view["type"] == "modal":
        for key in ("title", "submit", "close"):
            text = (view.get(key) or {}).get("text", "")
            if key == "title" and not text:
                problems.append("[ERROR] missing required field: title [json-pointer:/view]")
            if len(text) > MODAL_TITLE:
                problems.append(
                    f"[ERROR] must be less than {MODAL_TITLE + 1} characters "
                    f"[json-pointer:/view/{key}/text]"
                )
    if len(view.get("private_metadata") or "") > PRIVATE_METADATA:
        problems.append(
            f"[ERROR] must be less than {PRIVATE_METADATA + 1} characters "
            "[json-pointer:/view/private_metadata]"
        )
    if len(view.get("callback_id") or "") > ID_LENGTH:
        problems.append(
            f"[ERROR] must be less than {ID_LENGTH + 1} characters [json-pointer:/view/callback_id]"
        )
    if not problems and view.get("blocks"):
        problems += _sdk_problem(lambda: View(**view).to_dict(), "/view")
    return problems


def message_problems(args: dict[str, Any]) -> tuple[str | None, list[str], list[str]]:
    """(error, messages, warnings) for a message payload, the way Slack judges it: `no_text`
    for nothing to show, `msg_too_long`, `invalid_blocks` with its problems; blocks without
    a top-level `text` pass with the warning `missing_text`."""
    text, blocks = args.get("text"), args.get("blocks")
    if not text and not blocks and not args.get("attachments"):
        return "no_text", [], []
    if text and len(str(text)) > MESSAGE_TEXT:
        return "msg_too_long", [], []
    problems = check_blocks(blocks, limit=MESSAGE_BLOCKS, pointer="/blocks") if blocks else []
    if problems:
        return "invalid_blocks", problems, []
    return None, [], ([] if text or not blocks else ["missing_text"])
