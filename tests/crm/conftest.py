from tests.core.conftest import fast_password_hashing, media_root  # noqa: F401
