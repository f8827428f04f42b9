"""Settings, read strictly from the environment.

Defaults give the embedded set-up (SQLite under var/, one process on this
machine, DEBUG off): `make run` and `obieg serve` work with no environment.
Production sets DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS and an https PUBLIC_URL,
and TRUSTED_PROXIES for the reverse proxy in front (docs/security.md).
A bad value fails loudly at start-up rather than half-working.
"""

import ipaddress
import os
import secrets
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
_CHECKOUT = BASE_DIR.parents[1]
# Where var/ (database, uploads, static files) and node_modules/ live: the
# checkout when run from one, else the current directory, unless OBIEG_HOME says.
PROJECT_DIR = Path(
    os.environ.get("OBIEG_HOME")
    or (_CHECKOUT if (_CHECKOUT / "pyproject.toml").exists() else Path.cwd())
)
VAR_DIR = PROJECT_DIR / "var"


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = minimum - 1
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number ≥ {minimum}, not {raw!r}")
    return value


def env_decimal(name: str, default: str, minimum: str = "0") -> Decimal:
    raw = os.environ.get(name, "").strip()
    try:
        value = Decimal(raw or default)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value < Decimal(minimum):
        raise ImproperlyConfigured(f"{name} must be a number ≥ {minimum} (a dot for decimals)")
    return value


def stored_secret_key(path: Path) -> str:
    """The key kept in var/, made once: sessions and signed links survive restarts.

    Written to a private temporary file and linked into place, so two processes
    starting at once agree on one key and nobody ever reads half a file.
    """
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(50) + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process won the race: use its key
        finally:
            temporary.unlink()
        return path.read_text().strip()
    except OSError as error:
        raise ImproperlyConfigured(
            f"SECRET_KEY is not set and {path} cannot be created ({error}); "
            "set SECRET_KEY or make that directory writable"
        ) from error


# Django's technical pages list every URL pattern and setting: only when asked for.
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "") or stored_secret_key(VAR_DIR / "secret_key")
# The address customers reach Obieg at: signed links in e-mails and PDFs use it.
# With https, cookies are marked Secure and HSTS is sent.
PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
_public = urlsplit(PUBLIC_URL)
if PUBLIC_URL and (_public.scheme not in {"http", "https"} or not _public.hostname):
    raise ImproperlyConfigured(f"PUBLIC_URL must be an http(s) address, not {PUBLIC_URL!r}")
PUBLIC_HTTPS = _public.scheme == "https"
# This machine's names for the embedded run, plus the public address's host.
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS",
    list(dict.fromkeys(["127.0.0.1", "localhost", "[::1]", *filter(None, [_public.hostname])])),
)
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", [f"{_public.scheme}://{_public.netloc}"] if PUBLIC_URL else []
)

# Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed
# (addresses or networks); see obieg.core.client_ip.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES must list IP addresses or networks, not {_proxy!r}"
        ) from None
TRUSTED_PROXY_HEADER = os.environ.get("TRUSTED_PROXY_HEADER", "X-Forwarded-For").strip()

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'obieg.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
# A step's statements and the pages' compiled ones (the inbox, the session read) are
# prepared once per PostgreSQL session (core/prepared_statements.py). Turn it off behind
# a pooler that hands one server session to several clients in turn (PgBouncer's
# transaction mode).
DB_PREPARED_STATEMENTS = env_bool("DB_PREPARED_STATEMENTS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while the worker writes; IMMEDIATE avoids
    # lock-upgrade deadlocks between the web threads and the worker.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    # Connections are kept between requests (DB_CONN_MAX_AGE) as on PostgreSQL: a new
    # SQLite connection runs the PRAGMAs above and Django registers its SQL functions
    # on it, about 3 ms of a 6 ms inbox request (bench/http_load.py --db sqlite: the
    # inbox went from 270 to 500 requests a second, p95 70 -> 40 ms, once kept).
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT. Every query of a page runs in milliseconds, but the planner's cost
    # estimate of the access subqueries (the cases under a customer's records)
    # passes jit_above_cost, and compiling them took ~3 s of a 3 s answer
    # (bench/lists.py: the 360° page of a big customer, as a salesperson).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "obieg.core",
    "obieg.customfields",
    "obieg.crm",
    "obieg.catalogue",
    "obieg.sales",
    "obieg.documents",
    "obieg.scheduling",
    "obieg.engine",
    "obieg.billing",
    "obieg.mail",
    "obieg.notifications",
    "obieg.solutions.pv_installation",
    "obieg.solutions.expert_opinions",
    "obieg.solutions.grants",
    "obieg.solutions.pv_salesforce",
    "obieg.web",
    "obieg.api",
    "obieg.demo",
    "obieg.dataio",
]

MIDDLEWARE = [
    "obieg.core.client_ip.ProxyHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a lock-out flagged during authentication into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "obieg.urls"
WSGI_APPLICATION = "obieg.wsgi.application"
AUTH_USER_MODEL = "core.User"
# Axes first: it refuses a locked-out user or address before the password is checked.
# Then Django's ModelBackend, whose per-request user read also brings the user's
# roles and managerial flags (one statement instead of up to four).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "obieg.core.auth_backend.StandingModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "obieg.web.context_processors.navigation",
            ],
        },
    }
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date and number format per language (obieg/formats explains which).
FORMAT_MODULE_PATH = ["obieg.formats"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
NODE_MODULES = PROJECT_DIR / "node_modules"
# Front-end packages come from npm (package.json + lock) and are collected
# into STATIC_ROOT: nothing is fetched from a CDN at run time.
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/sortablejs", NODE_MODULES / "sortablejs"),
    ("vendor/event-calendar", NODE_MODULES / "@event-calendar" / "build" / "dist"),
    ("vendor/bpmn-js", NODE_MODULES / "bpmn-js" / "dist"),
    ("vendor/form-js", NODE_MODULES / "@bpmn-io" / "form-js" / "dist"),
    ("vendor/dmn-js", NODE_MODULES / "dmn-js" / "dist"),
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
]
STATICFILES_DIRS = [entry for entry in STATICFILES_DIRS if entry[1].exists()]
# One storage whatever DEBUG says, so files collected in one mode serve in the
# other (with DEBUG on, URLs are unhashed and WhiteNoise finds files itself).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "obieg.web.static_storage.StaticStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
MAX_DOCUMENT_SIZE = int(os.environ.get("MAX_DOCUMENT_SIZE", 50 * 1024 * 1024))

# A PV offer's estimate (solutions/pv_installation/estimates.py): kWh a year from each
# kWp installed (950–1,100 in Poland) and the gross PLN a kWh from the grid costs.
PV_SPECIFIC_YIELD_KWH_PER_KWP = env_decimal("PV_SPECIFIC_YIELD_KWH_PER_KWP", "1000", "1")
PV_ELECTRICITY_PRICE = env_decimal("PV_ELECTRICITY_PRICE", "1.00")

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# A job whose worker has not renewed its lease for this long is handed back to the queue
# (the worker was killed or lost): obieg.core.leases.
WORKER_LEASE_TIMEOUT = env_int("WORKER_LEASE_TIMEOUT", 60)  # at least 15: leases.timeout()

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "obieg.api.pagination.KeysetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "obieg.api.schema.ObiegAutoSchema",
    "EXCEPTION_HANDLER": "obieg.api.errors.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Obieg API",
    "DESCRIPTION": "Accounts, contacts, activities, leads, opportunities, offers, "
    "contracts and documents of the Obieg CRM.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The public PV lead endpoint lives under /pv/; keep the records' operation ids
    # and tags derived from what follows /api/.
    "SCHEMA_PATH_PREFIX": "/api/",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI is served from the installed sidecar package, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a `kind` or `status`; name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "AccountKindEnum": "obieg.crm.models.Account.Kind",
        "ActivityKindEnum": "obieg.crm.models.Activity.Kind",
        "ActivityStatusEnum": "obieg.crm.models.Activity.Status",
        "LeadStatusEnum": "obieg.crm.models.Lead.Status",
        "OfferStatusEnum": "obieg.sales.models.Offer.Status",
        "ContractStatusEnum": "obieg.sales.models.Contract.Status",
        "DocumentKindEnum": "obieg.documents.models.Document.Kind",
        "VatRateEnum": "obieg.core.money.VatRate",
    },
}

# Django's database sessions, their per-request read compiled once per process.
SESSION_ENGINE = "obieg.core.session_store"
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Behind a TLS-terminating proxy the scheme comes from its X-Forwarded-Proto,
# believed only from TRUSTED_PROXIES (ProxyHeadersMiddleware drops it otherwise).
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if PUBLIC_HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Only where the request's scheme can be known (a trusted proxy says it): else
# every request would look like http and redirect to itself.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PUBLIC_HTTPS and bool(TRUSTED_PROXIES))
# Load balancers probe over plain http from inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Tiles of the field salesperson's map (S2), e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png.
# Empty (the default): no map, the day is a list; nothing is fetched from outside.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
_tiles = urlsplit(MAP_TILE_URL)
MAP_TILE_ORIGIN = f"{_tiles.scheme}://{_tiles.netloc}" if _tiles.scheme and _tiles.netloc else ""

# Content-Security-Policy: scripts only from our own static files, never inline
# (tests/web/test_security_csp.py scans the templates). Styles may be inline:
# bpmn-js, the event calendar and htmx set them at run time.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", *([MAP_TILE_ORIGIN] if MAP_TILE_ORIGIN else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Log-in throttling (django-axes): after LOGIN_FAILURE_LIMIT failed attempts a user
# name, and separately an address, is refused for LOGIN_LOCKOUT_MINUTES.
# Administrators unlock under Administration → Axes → Access attempts.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# No reset on a successful log-in: axes would also delete every failure from that
# address, so anyone with an account could keep guessing another user's password.
AXES_RESET_ON_SUCCESS = False
AXES_CLIENT_IP_CALLABLE = "obieg.core.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "obieg.web.views.auth.locked_out"

# Without SMTP settings mail is kept in the outbox page (Administration → Outbox).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "obieg.mail.backends.OutboxBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "obieg@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
