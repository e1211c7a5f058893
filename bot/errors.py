"""What a use case refuses, with a message for the user: every feature raises these, every handler shows them."""


class NotAllowed(Exception):
    """The user may not do this; the message says why, for the user."""


class NotFound(Exception):
    """No such request or department; the message says which."""
