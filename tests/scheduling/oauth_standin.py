"""Google's OAuth 2.0 authorisation server, as a stand-in on loopback, built with authlib.

authlib's own server classes (RFC 6749) with what Google does where Obieg
depends on it: the authorisation-code grant *requires* PKCE S256 (RFC 7636),
refresh tokens are not rotated and answer `invalid_grant` once revoked,
RFC 7009 revocation revokes the whole grant, a consent page the test
"person" answers, access tokens that expire when the test says so, and
failures (429, 503) on request.
"""

from __future__ import annotations

import html
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qsl
from wsgiref.util import request_uri

import requests
from authlib.common.security import generate_token
from authlib.oauth2 import AuthorizationServer as _AuthorizationServer
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import (
    AuthorizationCodeMixin,
    ClientMixin,
    InvalidRequestError,
    OAuth2Request,
    TokenMixin,
    grants,
)
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge

from tests.scheduling.loopback import read_form, respond, serve, shutdown
from tests.scheduling.radicale_server import _free_port

SCOPE = "https://www.googleapis.com/auth/calendar"


# --- the data an authorisation server keeps -------------------------------------------------


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uris: list[str]

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope):
        return scope if scope and set(scope.split()) <= {SCOPE} else None

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret):
        return client_secret == self.client_secret

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type in ("authorization_code", "refresh_token")


@dataclass
class Code(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: str
    code_challenge: str
    code_challenge_method: str
    used: bool = False

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope


@dataclass
class Grant(TokenMixin):
    """What a person allowed a client: the refresh token and the access tokens issued from it."""

    refresh_token: str
    client_id: str
    user: str
    scope: str
    revoked: bool = False
    access_tokens: list[str] = field(default_factory=list)

    def check_client(self, client):
        return client.get_client_id() == self.client_id

    def get_scope(self):
        return self.scope

    def get_expires_in(self):
        return 0

    def is_expired(self):
        return False

    def is_revoked(self):
        return self.revoked

    def get_user(self):
        return self.user

    def get_client(self):
        return None


@dataclass
class AccessToken:
    token: str
    grant: Grant
    expires_at: float
    revoked: bool = False

    @property
    def live(self) -> bool:
        return not self.revoked and not self.grant.revoked and self.expires_at > time.time()


class Store:
    def __init__(self, client: Client, users: list[str]):
        self.lock = threading.Lock()
        self.client = client
        self.users = users
        self.codes: dict[str, Code] = {}
        self.grants: dict[str, Grant] = {}
        self.access: dict[str, AccessToken] = {}
        self.lifetime = 3600
        self.token_requests: list[str] = []  # grant types asked for, in order
        self.token_failures: list[int] = []  # statuses the token endpoint answers next
        self.revocations: list[str] = []


# --- the server, on authlib's framework-free core ---------------------------------------------


class _Request(OAuth2Request):
    def __init__(self, environ, body: dict[str, str]):
        headers = {
            key[5:].replace("_", "-").title(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        super().__init__(environ["REQUEST_METHOD"], request_uri(environ), headers=headers)
        self._args = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        self._form = body
        self.payload = BasicOAuth2Payload({**self._args, **self._form})

    @property
    def args(self):
        return self._args

    @property
    def form(self):
        return self._form


class _PKCERequired(CodeChallenge):
    """Like Google: an authorisation request without a S256 code challenge is refused."""

    def validate_code_challenge(self, grant, redirect_uri):
        data = grant.request.payload.data
        if not data.get("code_challenge") or data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("PKCE with S256 is required")
        super().validate_code_challenge(grant, redirect_uri)


class _CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def save_authorization_code(self, code, request):
        data = request.payload.data
        self.server.store.codes[code] = Code(
            code=code,
            client_id=request.client.get_client_id(),
            redirect_uri=data.get("redirect_uri", ""),
            scope=data.get("scope", ""),
            user=request.user,
            code_challenge=data.get("code_challenge", ""),
            code_challenge_method=data.get("code_challenge_method", ""),
        )

    def query_authorization_code(self, code, client):
        found = self.server.store.codes.get(code)
        if found and not found.used and found.client_id == client.get_client_id():
            return found
        return None

    def delete_authorization_code(self, authorization_code):
        authorization_code.used = True

    def authenticate_user(self, authorization_code):
        return authorization_code.user


class _RefreshGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]
    INCLUDE_NEW_REFRESH_TOKEN = False  # Google keeps the refresh token

    def authenticate_refresh_token(self, refresh_token):
        grant = self.server.store.grants.get(refresh_token)
        return grant if grant is not None and not grant.revoked else None

    def authenticate_user(self, refresh_token):
        return refresh_token.user

    def revoke_old_credential(self, refresh_token):
        pass


class _Revocation(RevocationEndpoint):
    CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def query_token(self, token_string, token_type_hint):
        store = self.server.store
        if token_string in store.grants:
            return store.grants[token_string]
        access = store.access.get(token_string)
        return access.grant if access else None

    def revoke_token(self, token, request):
        # Google: revoking either token of a grant revokes the whole grant.
        token.revoked = True
        self.server.store.revocations.append(token.user)


class _Server(_AuthorizationServer):
    def __init__(self, store: Store):
        super().__init__(scopes_supported=[SCOPE])
        self.store = store
        self.register_token_generator(
            "default",
            BearerTokenGenerator(
                access_token_generator=lambda **kwargs: "at-" + generate_token(40),
                refresh_token_generator=lambda **kwargs: "rt-" + generate_token(48),
                expires_generator=lambda client, grant_type: store.lifetime,
            ),
        )
        self.register_grant(_CodeGrant, [_PKCERequired(required=True)])
        self.register_grant(_RefreshGrant)
        self.register_endpoint(_Revocation)

    def query_client(self, client_id):
        return self.store.client if client_id == self.store.client.client_id else None

    def save_token(self, token, request):
        store = self.store
        if "refresh_token" in token:
            grant = Grant(
                token["refresh_token"], request.client.get_client_id(), request.user, token["scope"]
            )
            store.grants[grant.refresh_token] = grant
        else:
            grant = request.refresh_token
        access = AccessToken(token["access_token"], grant, time.time() + token["expires_in"])
        store.access[access.token] = access
        grant.access_tokens.append(access.token)

    def send_signal(self, name, *args, **kwargs):
        pass

    def create_oauth2_request(self, request):
        return request

    def handle_response(self, status, body, headers):
        return status, body, headers


class AuthorizationServer:
    """An OAuth 2.0 authorisation server like Google's, on a free loopback port."""

    def __init__(self, *, client_id: str, client_secret: str, redirect_uri: str, users):
        self.store = Store(Client(client_id, client_secret, [redirect_uri]), list(users))
        self.server = _Server(self.store)
        self.port = _free_port()
        self._http = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    authorize_url = property(lambda self: self.url + "/o/oauth2/v2/auth")
    token_url = property(lambda self: self.url + "/token")
    revoke_url = property(lambda self: self.url + "/revoke")

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ["REQUEST_METHOD"]
        form = read_form(environ) if method == "POST" else {}
        request = _Request(environ, form)
        with self.store.lock:
            if path == "/o/oauth2/v2/auth":
                return self._authorize(request, start_response)
            if path == "/token" and method == "POST":
                self.store.token_requests.append(form.get("grant_type", ""))
                if self.store.token_failures:
                    status = self.store.token_failures.pop(0)
                    headers = [("Retry-After", "120")] if status == 429 else []
                    return respond(start_response, status, {"error": "busy"}, headers)
                return respond(start_response, *self.server.create_token_response(request))
            if path == "/revoke" and method == "POST":
                return respond(
                    start_response, *self.server.create_endpoint_response("revocation", request)
                )
        return respond(start_response, 404, "not found", [("Content-Type", "text/plain")])

    def _authorize(self, request, start_response):
        try:
            grant = self.server.get_consent_grant(request)
        except OAuth2Error as error:
            return respond(start_response, 400, f"{error.error}: {error.description}", [])
        if request.method == "GET":
            # The consent screen: the person picks an account and allows (or denies).
            hidden = "".join(
                f'<input type="hidden" name="{html.escape(key)}" value="{html.escape(value)}">'
                for key, value in request.args.items()
            )
            accounts = "".join(
                f'<option value="{html.escape(user)}">{html.escape(user)}</option>'
                for user in self.store.users
            )
            page = (
                f'<form method="post">{hidden}<select name="account">{accounts}</select>'
                '<button name="decision" value="allow">Allow</button>'
                '<button name="decision" value="deny">Deny</button></form>'
            )
            return respond(start_response, 200, page, [("Content-Type", "text/html")])
        user = request.form.get("account") if request.form.get("decision") == "allow" else None
        return respond(
            start_response,
            *self.server.create_authorization_response(request, grant_user=user, grant=grant),
        )

    # What tests do to the server (as time passing, or the person in Google's settings).

    def consent(self, authorize_url: str, *, account: str, allow: bool = True) -> str:
        """Open the consent page as the person's browser and answer it; the redirect's URL."""
        page = requests.get(authorize_url, timeout=5)
        assert page.status_code == 200, page.text
        fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page.text))
        fields = {key: html.unescape(value) for key, value in fields.items()}
        fields.update(account=account, decision="allow" if allow else "deny")
        answer = requests.post(
            authorize_url.split("?")[0], data=fields, allow_redirects=False, timeout=5
        )
        assert answer.status_code == 302, answer.text
        return answer.headers["Location"]

    def expire_access_tokens(self) -> None:
        with self.store.lock:
            for access in self.store.access.values():
                access.expires_at = 0

    def revoke_everything_of(self, user: str) -> None:
        """The person removes Obieg in their Google account's security settings."""
        with self.store.lock:
            for grant in self.store.grants.values():
                if grant.user == user:
                    grant.revoked = True

    def user_of(self, access_token: str) -> str | None:
        with self.store.lock:
            access = self.store.access.get(access_token)
            return access.grant.user if access is not None and access.live else None

    def issue_token(self, user: str) -> str:
        """An access token as the person's own calendar app would hold."""
        with self.store.lock:
            grant = Grant("rt-app-" + uuid.uuid4().hex, "calendar-app", user, SCOPE)
            self.store.grants[grant.refresh_token] = grant
            access = AccessToken("at-app-" + uuid.uuid4().hex, grant, time.time() + 86400)
            self.store.access[access.token] = access
            return access.token

    def start(self):
        self._http = serve(self, self.port)

    def stop(self):
        shutdown(self._http)
