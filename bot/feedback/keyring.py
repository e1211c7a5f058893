"""The way back to an anonymous feedback's author: their user id, encrypted with a key the database does not hold.

``INHOUSE_SECRET_KEY`` is one or more Fernet keys, comma-separated (cryptography's MultiFernet): the first
encrypts, every one decrypts, so a key is rotated by putting a new one first and re-encrypting every link
(``inhouse feedback rotate-key``). A Fernet token carries the instant it was made in clear; a link is made
as of the epoch instead, so it dates nothing (rotation keeps that instant). The user id is padded to one
length, so every link is as long as every other.

Without a key there is no link: anonymous feedback is still sent, and cannot be replied to.
"""

import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from pydantic import SecretStr

from bot.config import Settings, secret_keys

SEALED_AT = 0  # the instant every link says it was made at: none
PADDED = 32
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,30}")


class Keyring:
    """The keys of ``INHOUSE_SECRET_KEY``, or none."""

    def __init__(self, keys: list[str]) -> None:
        self._fernet = MultiFernet([Fernet(key) for key in keys]) if keys else None

    @property
    def available(self) -> bool:
        return self._fernet is not None

    def seal(self, user_id: str) -> str | None:
        """The link to ``user_id``, or None without a key."""
        if self._fernet is None:
            return None
        return self._fernet.encrypt_at_time(user_id.ljust(PADDED).encode(), SEALED_AT).decode()

    def open(self, link: str | None) -> str | None:
        """The user id a link leads to; None without a link, without a key, or if no key opens it."""
        if self._fernet is None or not link:
            return None
        try:
            user_id = self._fernet.decrypt(link).decode().strip()
        except (InvalidToken, UnicodeDecodeError):
            return None
        return user_id if _USER_ID.fullmatch(user_id) else None

    def rotate(self, link: str) -> str | None:
        """The link encrypted with the first key (still as of no instant); None if no key opens it."""
        if self._fernet is None:
            return None
        try:
            return self._fernet.rotate(link).decode()
        except InvalidToken:
            return None


def keyring(settings: Settings) -> Keyring:
    return _keyring(settings.inhouse_secret_key)


def _keyring(value: SecretStr | None) -> Keyring:
    return _cached(value.get_secret_value() if value is not None else "")


@lru_cache(maxsize=8)
def _cached(raw: str) -> Keyring:
    return Keyring(secret_keys(SecretStr(raw)) if raw else [])
