# Transitional: fixtures moved to tests/conftest.py; removed once no test imports them here.
from tests.conftest import fast_password_hashing, media_root  # noqa: F401
