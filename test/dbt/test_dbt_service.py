"""The warm dbt service (dbt/scripts/dbt_service.py) for real: a service process on a generated landing, driven
through its client. Builds after new data land each observation once, the DuckDB file is free between
commands, bad requests and failing commands are answered clearly and the service keeps serving, and nothing is
served without the bearer token."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import BIN, DBT_SERVICE_TOKEN, REPO, Warehouse, base_env, generate, node_ok

sys.path.insert(0, str(REPO / "dbt" / "scripts"))
import dbt_service  # noqa: E402
import dbt_service_client  # noqa: E402
import dbt_service_warm  # noqa: E402
import service_token  # noqa: E402

ROWS = 4_000
END_DATE = dt.datetime.now(dt.UTC).date()
START_TIMEOUT_S = 120
TOKEN = service_token.Token(DBT_SERVICE_TOKEN, "the tests' environment")


class Running:
    def __init__(self, proc: subprocess.Popen, url: str, data_dir: Path):
        self.proc, self.url, self.data_dir = proc, url, data_dir
        self.warehouse = Warehouse(data_dir)

    def invoke(self, *args: str, expect: dict[str, str] | None = None) -> tuple[dict, list[str]]:
        out = io.StringIO()
        summary = dbt_service_client.invoke(self.url, list(args), expect, out=out, timeout_s=600, token=TOKEN)
        return summary, out.getvalue().splitlines()

    def health(self) -> dict:
        req = urllib.request.Request(self.url + "/health", headers=dbt_service_client.auth_headers(TOKEN))
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read())


def start_service(data_dir: Path, *extra: str, port: int = 0, run_dir: Path | None = None) -> subprocess.Popen:
    """The service for data_dir in the background; its port file and log in run_dir, default data_dir."""
    return dbt_service_client.launch_service(
        str(BIN / "python"), base_env(data_dir), run_dir or data_dir, *extra, port=port
    )


def wait_for_port(proc: subprocess.Popen, run_dir: Path) -> str:
    return dbt_service_client.wait_until_ready(proc, run_dir, START_TIMEOUT_S)


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("dbt-service")
    (data_dir / "warehouse").mkdir()
    generate(data_dir, ROWS, 5, END_DATE, 7)
    proc = start_service(data_dir)
    yield Running(proc, wait_for_port(proc, data_dir), data_dir)
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise


def statuses(summary: dict) -> dict[str, str]:
    return {r["unique_id"]: r["status"] for r in summary["results"]}


def test_service_builds_and_rebuilds_after_new_data(service: Running):
    summary, lines = service.invoke("build")
    assert summary["success"], summary
    assert statuses(summary)["model.phonepipe.fact_used_phone_listings"] == "success"
    assert any(line.startswith("Done. PASS=") for line in lines), lines[-5:]
    # a second command on the same warm process, after a new day of listings: the manifest is reused (no
    # parse) and the ephemeral models still compile (dbt writes compiled SQL into the nodes it runs)
    generate(service.data_dir, 1_000, 6, END_DATE + dt.timedelta(days=1), 1, "--listings-only")
    # as the dbt_build DAG runs it: data tests scoped to the new partition, still on the parsed manifest
    scope = json.dumps({"test_ingest_dates": [(END_DATE + dt.timedelta(days=1)).isoformat()]})
    again, _ = service.invoke("build", "--selector", "listings_arrivals", "--vars", scope)
    assert again["success"], [r for r in again["results"] if not node_ok(r)]
    assert again["reparsed"] is False
    assert again["parsed_for_command"] is False
    assert statuses(again)["model.phonepipe.int_listings__deduped"] == "success"
    n, distinct = service.warehouse.query(
        "select count(*), count(distinct event_id) from marts.fact_used_phone_listings"
    )[0]
    assert n == distinct == ROWS + 1_000
    assert service.health()["commands"] >= 2


def test_the_warehouse_file_is_free_between_commands(service: Running):
    import duckdb

    summary, _ = service.invoke("build", "--select", "dim_source")
    assert summary["success"], summary
    con = duckdb.connect(str(service.warehouse.path))  # read-write: fails while any process holds the file
    try:
        assert con.execute("select count(*) from marts.dim_source").fetchone()[0] > 0
    finally:
        con.close()


def test_a_failing_command_is_reported_and_the_service_keeps_serving(service: Running):
    summary, lines = service.invoke("show", "--inline", "select * from no_such_table_anywhere")
    assert summary["success"] is False
    assert "no_such_table_anywhere" in (summary["error"] or "") + "\n".join(lines)
    ok, _ = service.invoke("build", "--select", "dim_source")
    assert ok["success"], ok


def test_bad_requests_are_refused_with_the_reason(service: Running):
    with pytest.raises(dbt_service_client.ServiceUnavailable, match="'parse' is not served"):
        service.invoke("parse")
    with pytest.raises(dbt_service_client.ServiceUnavailable, match="--project-dir is set by the service"):
        service.invoke("build", "--project-dir", "/elsewhere")
    with pytest.raises(dbt_service_client.ServiceUnavailable, match=r"HTTP 409.*builds data_dir="):
        service.invoke("build", expect={"data_dir": "/some/other/data"})
    health = service.health()
    assert health["target"] == "duckdb"
    assert Path(health["data_dir"]).resolve() == service.data_dir.resolve()
    # the expectation that matches is accepted
    summary, _ = service.invoke(
        "build", "--select", "dim_source", expect={"data_dir": str(service.data_dir), "target": "duckdb"}
    )
    assert summary["success"]


def test_a_changed_project_is_parsed_again_before_the_next_command(service: Running, tmp_path: Path):
    """A second service on a copy of the project: edit a model, the next command parses first and runs the
    edited SQL."""
    project = tmp_path / "dbt"
    shutil.copytree(REPO / "dbt", project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    args = ("--project-dir", str(project), "--profiles-dir", str(project))
    proc = start_service(service.data_dir, *args, run_dir=tmp_path)
    try:
        other = Running(proc, wait_for_port(proc, tmp_path), service.data_dir)
        first, _ = other.invoke("build", "--select", "dim_source")
        assert first["success"] and first["reparsed"] is False
        model = project / "models" / "marts" / "dim_source.sql"
        model.write_text(model.read_text().replace("source as source_name", "upper(source) as source_name"))
        second, lines = other.invoke("build", "--select", "dim_source")
        assert second["success"], second
        assert second["reparsed"] is True and "parsing again" in lines[0]
        names = [r[0] for r in other.warehouse.query("select source_name from marts.dim_source")]
        assert names and all(n == n.upper() for n in names)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    # put the real dim_source back for the other tests
    assert service.invoke("build", "--select", "dim_source")[0]["success"]


def test_a_copied_manifest_resolves_refs_after_its_lookups_were_built(tmp_path: Path, monkeypatch):
    """copy_manifest, not copy.deepcopy: dbt 1.11's Manifest.__reduce_ex__ shifts its cached lookups into the
    wrong fields, so a deep copy of a manifest whose lookups exist resolves refs with the wrong lookup."""
    for name, value in base_env(tmp_path).items():
        monkeypatch.setenv(name, value)
    from dbt.cli.main import dbtRunner

    res = dbtRunner().invoke(["parse", "--project-dir", "dbt", "--profiles-dir", "dbt", "--quiet"])
    assert res.success, res.exception
    manifest = res.result
    assert manifest.ref_lookup is not None and manifest.source_lookup is not None  # built now
    clone = dbt_service_warm.copy_manifest(manifest)
    # the call that failed on a copy.deepcopy (RefableLookup.find() missing 'manifest')
    source = clone.resolve_source("landing", "listings_scraped", "phonepipe", "phonepipe")
    assert source.unique_id == "source.phonepipe.landing.listings_scraped"
    node = clone.ref_lookup.find("fact_used_phone_listings", None, None, clone)
    assert node is not None and node.unique_id == "model.phonepipe.fact_used_phone_listings"
    assert node is not manifest.nodes[node.unique_id]  # a copy: compiling it leaves the original alone
    assert clone.fixtures == manifest.fixtures and clone.unit_tests.keys() == manifest.unit_tests.keys()


def refusal(url: str, method: str, path: str, authorization: str | None) -> tuple[int, dict[str, str], dict]:
    """Status, headers and JSON body of a request the service is expected to answer with an error."""
    headers = {"Authorization": authorization} if authorization else {}
    data = b'{"args": ["build"]}' if method == "POST" else None
    req = urllib.request.Request(url + path, data=data, headers=headers, method=method)
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=10)
    return err.value.code, dict(err.value.headers), json.loads(err.value.read())


def test_nothing_is_served_without_the_bearer_token(service: Running):
    commands = service.health()["commands"]
    for method, path in (("GET", "/health"), ("POST", "/invoke"), ("GET", "/elsewhere")):
        for authorization in (None, "Bearer wrong-token-0123456789abcdef", f"Basic {DBT_SERVICE_TOKEN}", "Bearer"):
            status, headers, body = refusal(service.url, method, path, authorization)
            assert status == 401, (method, path, authorization)
            assert headers["WWW-Authenticate"].startswith("Bearer")
            assert "bearer token" in body["error"] and DBT_SERVICE_TOKEN not in body["error"]
    assert service.health()["commands"] == commands  # no refused request ran anything
    wrong = service_token.Token("wrong-token-0123456789abcdef", "PHONEPIPE_DBT_SERVICE_TOKEN")
    with pytest.raises(dbt_service_client.RequestRefused, match=r"HTTP 401.*token from PHONEPIPE_DBT_SERVICE_TOKEN"):
        dbt_service_client.invoke(service.url, ["build"], token=wrong)
    with pytest.raises(dbt_service_client.RequestRefused, match=r"HTTP 401.*no token found"):
        dbt_service_client.invoke(service.url, ["build"], token=None)


def test_client_with_a_wrong_token_exits_3_without_printing_it(service: Running, tmp_path: Path):
    wrong = "wrong-token-from-a-file-0123456789"
    (tmp_path / "token").write_text(wrong + "\n")
    env = {**base_env(service.data_dir), "PHONEPIPE_DBT_SERVICE_TOKEN_FILE": str(tmp_path / "token")}
    del env["PHONEPIPE_DBT_SERVICE_TOKEN"]
    proc = subprocess.run(
        [sys.executable, "dbt/scripts/dbt_service_client.py", "--url", service.url, "build"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 3
    assert "HTTP 401" in proc.stderr and str(tmp_path / "token") in proc.stderr
    assert wrong not in proc.stdout + proc.stderr


def test_client_reports_an_unreachable_service_with_exit_2():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        free_port = s.getsockname()[1]
    proc = subprocess.run(
        [sys.executable, "dbt/scripts/dbt_service_client.py", "--url", f"http://127.0.0.1:{free_port}", "build"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "PHONEPIPE_DBT_SERVICE_URL": ""},
    )
    assert proc.returncode == 2
    assert "is not reachable" in proc.stderr and "make dbt-service" in proc.stderr


def test_service_on_a_busy_port_exits_2_naming_it(tmp_path: Path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        proc = start_service(tmp_path, port=port)
        proc.wait(timeout=60)
    assert proc.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in (tmp_path / "dbt-service.log").read_text()


def test_only_vars_read_at_parse_time_make_a_command_parse_for_itself():
    assert not dbt_service_warm.parse_changing_vars(["build", "--selector", "arrivals"])
    assert not dbt_service_warm.parse_changing_vars(["build", "--vars", '{"test_ingest_dates": ["2026-01-02"]}'])
    assert not dbt_service_warm.parse_changing_vars(["test", "--vars={test_ingest_dates: '2026-01-02'}"])
    assert dbt_service_warm.parse_changing_vars(["build", "--vars", "{deal_threshold: 0.3}"])
    assert dbt_service_warm.parse_changing_vars(["build", "--vars", "{test_ingest_dates: [], landing_dir: /x}"])
    assert dbt_service_warm.parse_changing_vars(["build", "--vars", "{unclosed"])


def test_validate_args_and_expectations():
    assert dbt_service.validate_args(["build", "--selector", "arrivals"]) == ["build", "--selector", "arrivals"]
    for bad in ([], "build", ["build", 3], ["debug"], ["build", "--profiles-dir=/x"]):
        with pytest.raises(dbt_service.RequestError):
            dbt_service.validate_args(bad)
    dbt_service.check_expectation({"data_dir": "/a/b/../b", "target": "duckdb"}, "/a/b", "duckdb")
    with pytest.raises(dbt_service.RequestError, match="target"):
        dbt_service.check_expectation({"target": "snowflake"}, "/a/b", "duckdb")
    with pytest.raises(dbt_service.RequestError, match="unknown key"):
        dbt_service.check_expectation({"warehouse": "x"}, "/a/b", "duckdb")
