"""Files for outbox renderers, uploaded the way ``files_upload_v2`` does it: a URL from
``files.getUploadURLExternal``, the bytes POSTed there, then ``files.completeUploadExternal``.

Only a renderer calls these, with the sender's client (``bot.slack.sender.slack()``) while the sender renders:
a SlackApiError or OSError they raise counts as the send's would (tried again later, or the row dies).
"""

import urllib.request
from urllib.error import HTTPError

from slack_sdk import WebClient

from bot.slack.outbox import SHARE
from bot.slack.sender import Call


def upload(client: WebClient, *, filename: str, content: bytes, title: str) -> str:
    """A private file of the bot's, for an image block's ``slack_file``; its id."""
    file_id = _send_bytes(client, filename, content)
    client.files_completeUploadExternal(files=[{"id": file_id, "title": title}])
    return file_id


def share(client: WebClient, *, filename: str, content: bytes, title: str, channel: str) -> Call:
    """The call that shares a new file in ``channel`` (in the thread of the row's parent, which the sender fills
    in): its bytes go up now, and the sender's call completes it.

    Slack gives a file share no metadata to find it by, so a share tried again after a 5xx or a lost answer
    may show twice.
    """
    file_id = _send_bytes(client, filename, content)
    return Call(SHARE, {"files": [{"id": file_id, "title": title}], "channel_id": channel})


def _send_bytes(client: WebClient, filename: str, content: bytes) -> str:
    """A new file's id, its bytes sent to the URL Slack gave for them (raw, with the client's timeout and TLS)."""
    reserved = client.files_getUploadURLExternal(filename=filename, length=len(content))
    request = urllib.request.Request(str(reserved["upload_url"]), data=content, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=client.timeout, context=client.ssl) as answer:
            answer.read()
    except HTTPError as refused:  # a status other than 2xx: an OSError like a network error, tried again
        refused.close()
        raise
    return str(reserved["file_id"])
