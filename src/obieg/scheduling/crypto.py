"""Encryption of stored calendar credentials (CalDAV passwords).

Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`) with a key derived
from SECRET_KEY by HKDF, so a database dump alone does not reveal the
passwords. Keys from SECRET_KEY_FALLBACKS still decrypt, so rotating
SECRET_KEY keeps stored credentials readable until they are saved again.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils.translation import gettext as _

from obieg.core.errors import ApplicationError

# Binds the derived key to this one use: another feature deriving a key from
# the same SECRET_KEY with another label gets an unrelated key.
_PURPOSE = b"obieg.scheduling.caldav-credentials"


class CredentialsUnreadable(ApplicationError):
    """The stored password was encrypted with a key this installation no longer has."""


def _fernet(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(
        secret.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def _keys() -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(secret) for secret in secrets])


def encrypt(plain: str) -> str:
    if not plain:
        return ""
    return _keys().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _keys().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise CredentialsUnreadable(
            _("The stored calendar password cannot be read; enter it again.")
        ) from error
