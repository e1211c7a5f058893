"""Settings from the environment and ``.env``. Built once by the CLI and passed down, never a global."""

from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///inhouse.db"
MAKE_A_SECRET_KEY = 'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'

WHERE_TO_GET = {
    "SLACK_BOT_TOKEN": "the Bot User OAuth Token (xoxb-...) under OAuth & Permissions, after installing the app",
    "SLACK_SIGNING_SECRET": "the Signing Secret under Basic Information > App Credentials",
    "SLACK_APP_TOKEN": "an App-Level Token (xapp-...) with the connections:write scope, under Basic Information"
    " > App-Level Tokens (Socket Mode only)",
}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    database_url: str = DEFAULT_DATABASE_URL
    inhouse_org: Path | None = None
    # Keys (comma-separated, the first encrypts, all decrypt) of the way back to an anonymous feedback's author.
    inhouse_secret_key: SecretStr | None = None

    @field_validator("*", mode="before")
    @classmethod
    def empty_means_missing(cls, value: Any, info: Any) -> Any:
        """``SLACK_BOT_TOKEN=`` in a copied .env.example is not a token: it is the setting left out."""
        if isinstance(value, str) and not value.strip():
            return cls.model_fields[info.field_name].default
        return value

    @field_validator("inhouse_secret_key")
    @classmethod
    def fernet_keys(cls, value: SecretStr | None) -> SecretStr | None:
        secret_keys(value)
        return value

    def missing_for(self, mode: str) -> list[str]:
        """The environment variables that ``inhouse run --mode MODE`` needs and does not have."""
        needed = ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"]
        if mode == "socket":
            needed.append("SLACK_APP_TOKEN")
        return [name for name in needed if getattr(self, name.lower()) is None]


def secret_keys(value: SecretStr | None) -> list[str]:
    """``INHOUSE_SECRET_KEY`` as its keys, first one first; ValueError for one that is not a Fernet key."""
    keys = [key.strip() for key in (value.get_secret_value() if value else "").split(",") if key.strip()]
    for number, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            raise ValueError(
                f"key {number} is not a key Inhouse can use (32 url-safe base64-encoded bytes); "
                f"make one with: {MAKE_A_SECRET_KEY}"
            ) from None
    return keys


def explain_missing(names: list[str]) -> str:
    lines = ["Inhouse needs these settings before it can connect to Slack:"]
    lines += [f"  {name}: {WHERE_TO_GET[name]}" for name in names]
    lines.append(
        "Set them in the environment or in a .env file (copy .env.example); see README.md, 'Create the Slack app'."
    )
    lines.append(f"Looked in the environment and in {where_dotenv_is()}.")
    return "\n".join(lines)


def where_dotenv_is() -> str:
    """Where settings are read from besides the environment: ``.env`` in the current directory."""
    dotenv = Path(".env").resolve()
    return f"{dotenv}" if dotenv.exists() else f"{dotenv} (there is no such file)"
