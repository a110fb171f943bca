"""Where the warm dbt service and its clients find the bearer token (dbt/scripts/service_token.py), and how an
Authorization header is checked. No service process: pure functions and temp files."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "dbt" / "scripts"))
import dbt_service_client  # noqa: E402
import service_token  # noqa: E402

NAME = "PHONEPIPE_DBT_SERVICE_TOKEN"
SECRET = "s3cret-token-value-0123456789"


def test_the_variable_then_its_file_then_the_default_file(tmp_path: Path):
    default = tmp_path / "default.token"
    assert service_token.configured({}, NAME, default) is None
    default.write_text("from-the-default-file-0123456789\n")
    assert service_token.configured({}, NAME, default).value == "from-the-default-file-0123456789"
    (tmp_path / "named").write_text(f"  {SECRET}\n")
    from_file = service_token.configured({f"{NAME}_FILE": str(tmp_path / "named")}, NAME, default)
    assert from_file.value == SECRET and str(tmp_path / "named") in from_file.origin
    from_env = service_token.configured({NAME: SECRET}, NAME, default)
    assert from_env.value == SECRET and from_env.origin == NAME


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({NAME: SECRET, f"{NAME}_FILE": "/x"}, f"both {NAME} and {NAME}_FILE are set"),
        ({NAME: "short"}, f"the token in {NAME} is shorter than 16"),
        ({NAME: SECRET + " with spaces"}, "characters a bearer token cannot carry"),
        ({f"{NAME}_FILE": "/no/such/token/file"}, f"cannot read the token file /no/such/token/file \\({NAME}_FILE\\)"),
    ],
)
def test_unusable_tokens_are_refused_naming_the_source_not_the_value(env: dict[str, str], message: str):
    with pytest.raises(service_token.TokenError, match=message) as err:
        service_token.configured(env, NAME)
    assert SECRET not in str(err.value) and "short" not in str(err.value).replace("shorter", "")


def test_a_missing_token_is_created_once_with_mode_0600_and_clients_read_it(tmp_path: Path):
    env = {"PHONEPIPE_RUN_DIR": str(tmp_path / "run")}
    path = dbt_service_client.default_token_file(env)
    assert path == tmp_path / "run" / "dbt-service.token"
    token, created = service_token.configured_or_created(env, NAME, path)
    assert created and stat.S_IMODE(path.stat().st_mode) == 0o600
    again, created_again = service_token.configured_or_created(env, NAME, path)
    assert not created_again and again.value == token.value  # a restart keeps the token local clients know
    assert dbt_service_client.configured_token(env).value == token.value
    assert token.value not in repr(token)


def test_authorization_header_check():
    token = service_token.Token(SECRET, NAME)
    assert service_token.authorized(f"Bearer {SECRET}", token)
    assert service_token.authorized(f"bearer  {SECRET} ", token)  # the scheme is case-insensitive
    for header in (None, "", "Bearer", f"Basic {SECRET}", f"Bearer {SECRET}x", f"Bearer {SECRET[:-1]}", SECRET):
        assert not service_token.authorized(header, token), header
