"""The error a user's mistake raises: a message and a hint, printed by the CLI without a traceback."""


class UserError(Exception):
    """A problem with what the user asked for or gave us (not a bug)."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def render(self) -> str:
        """'error: ...' plus a hint line."""
        return f"error: {self.message}" + (f"\n  hint: {self.hint}" if self.hint else "")
