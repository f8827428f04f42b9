"""The mail tests' real SMTP server."""

from tests.mail.smtp import smtp  # noqa: F401 (a fixture)
