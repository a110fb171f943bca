"""Bearer tokens of the local HTTP services (the warm dbt service): where a token comes from and how a request's
``Authorization`` header is checked. Standard library only: the dbt service's client runs on any Python.

Where a token comes from, for a variable NAME (e.g. PHONEPIPE_DBT_SERVICE_TOKEN):
  1. NAME, the token itself;
  2. NAME_FILE, a file holding it (surrounding whitespace ignored);
  3. the default file, when neither is set (the service writes it with a random token if missing).
Setting both NAME and NAME_FILE is an error: which one wins would be a guess. Every error names the
variable or the file, never the token.
"""

from __future__ import annotations

import hmac
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# RFC 6750's token68: the characters a bearer credential may carry in an Authorization header.
TOKEN_CHARS = re.compile(r"[A-Za-z0-9\-._~+/]+=*")
MIN_TOKEN_LENGTH = 16


class TokenError(ValueError):
    """A token that cannot be used; the message names where it came from, never its value."""


@dataclass(frozen=True)
class Token:
    value: str
    origin: str  # where it came from, for messages: a variable's name or a file's path

    def __repr__(self) -> str:  # keeps the value out of tracebacks and logs
        return f"Token(origin={self.origin!r})"


def checked(value: str, origin: str) -> Token:
    """``value`` as a Token, or TokenError if it is too short or not usable in an Authorization header."""
    if len(value) < MIN_TOKEN_LENGTH:
        raise TokenError(f"the token in {origin} is shorter than {MIN_TOKEN_LENGTH} characters")
    if not TOKEN_CHARS.fullmatch(value):
        raise TokenError(f"the token in {origin} has characters a bearer token cannot carry (A-Z a-z 0-9 -._~+/=)")
    return Token(value, origin)


def read_file(path: Path, origin: str) -> Token:
    try:
        value = path.read_text().strip()
    except OSError as exc:
        raise TokenError(f"cannot read the token file {path} ({origin}): {exc.strerror}") from exc
    return checked(value, f"{origin} ({path})")


def configured(env: Mapping[str, str], name: str, default_file: Path | None = None) -> Token | None:
    """The token NAME, NAME_FILE or ``default_file`` give (in that order), None when none of them exists."""
    value, file = env.get(name, ""), env.get(f"{name}_FILE", "")
    if value and file:
        raise TokenError(f"both {name} and {name}_FILE are set; set one of them")
    if value:
        return checked(value.strip(), name)
    if file:
        return read_file(Path(file), f"{name}_FILE")
    if default_file is not None and default_file.exists():
        return read_file(default_file, "the default token file")
    return None


def configured_or_created(env: Mapping[str, str], name: str, default_file: Path) -> tuple[Token, bool]:
    """The configured token, else a new random one written to ``default_file`` (mode 0600); whether it was
    created. A file another process created meanwhile is read, not replaced."""
    token = configured(env, name, default_file)
    if token is not None:
        return token, False
    default_file.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(32)
    try:
        fd = os.open(default_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return read_file(default_file, "the default token file"), False
    with os.fdopen(fd, "w") as f:
        f.write(value + "\n")
    return Token(value, f"the default token file ({default_file})"), True


def authorized(header: str | None, token: Token) -> bool:
    """Whether an ``Authorization`` header carries ``Bearer <token>``, compared in constant time."""
    scheme, _, given = (header or "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.value.encode())


def run_dir(env: Mapping[str, str], repo: Path) -> Path:
    """PHONEPIPE_RUN_DIR (relative to the checkout), default <checkout>/run: where local services keep state."""
    root = Path(env.get("PHONEPIPE_ROOT") or repo)
    raw = env.get("PHONEPIPE_RUN_DIR")
    return (root / raw).resolve() if raw else (root / "run").resolve()
