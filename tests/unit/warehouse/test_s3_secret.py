"""Warehouse data on object storage: the S3 secret built from POSTWATCH_S3_* reaches the right store.

The fixture server on 127.0.0.1 stands in for the S3 endpoint: it answers ranged GETs and records
each request, so the tests see the URL style, the signature's key id and that the secret itself
never travels.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from postwatch.demo.server import FixtureServer, Recorded, Response
from postwatch.warehouse.db import _s3_secret, connect

SECRET = "s3-secret-value-never-logged"


def _ranged(data: bytes) -> Callable[[Recorded], Response]:
    """A FixtureServer handler that honours Range requests, as S3 does."""

    def answer(req: Recorded) -> Response:
        m = re.fullmatch(r"bytes=(\d+)-(\d+)", req.headers.get("range", ""))
        if not m:
            return Response(200, data, {"Accept-Ranges": "bytes"}, content_type="application/octet-stream")
        start, end = int(m.group(1)), min(int(m.group(2)), len(data) - 1)
        headers = {"Content-Range": f"bytes {start}-{end}/{len(data)}", "Accept-Ranges": "bytes"}
        return Response(206, data[start : end + 1], headers, content_type="application/octet-stream")

    return answer


@pytest.fixture
def s3_env(pw_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("POSTWATCH_DATA_PATH", "s3://postwatch/warehouse/")
    monkeypatch.setenv("POSTWATCH_S3_KEY_ID", "postwatch")
    monkeypatch.setenv("POSTWATCH_S3_SECRET", SECRET)
    monkeypatch.setenv("POSTWATCH_S3_REGION", "ap-southeast-1")
    monkeypatch.setenv("POSTWATCH_S3_URL_STYLE", "path")
    return pw_home


def test_an_s3_data_path_signs_path_style_requests_to_the_configured_endpoint(
    s3_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    buf = io.BytesIO()
    pq.write_table(pa.table({"likes": [3, 4, 5]}), buf)
    with FixtureServer() as srv:
        srv.route("/postwatch/warehouse/part-0.parquet", _ranged(buf.getvalue()))
        monkeypatch.setenv("POSTWATCH_S3_ENDPOINT", srv.base_url)  # http:// turns TLS off
        with connect() as con:
            total = con.execute(
                "select sum(likes) from read_parquet('s3://postwatch/warehouse/part-0.parquet')"
            ).fetchone()[0]
            (scope, described) = con.execute("select scope, secret_string from duckdb_secrets()").fetchone()
    assert total == 12
    assert srv.requests, "nothing reached the endpoint"
    for req in srv.requests:
        assert req.path == "/postwatch/warehouse/part-0.parquet"  # path style: bucket in the path
        assert (
            req.headers["authorization"].startswith("AWS4-HMAC-SHA256 Credential=postwatch/")
            and "/ap-southeast-1/s3/aws4_request" in req.headers["authorization"]
        )
        assert SECRET not in " ".join(req.headers.values())
    assert scope == ["s3://postwatch"], "the credentials serve the warehouse bucket only"
    assert SECRET not in described and "secret=redacted" in described


def test_a_local_data_path_creates_no_s3_secret(pw_home: Path) -> None:
    with connect() as con:
        assert con.execute("select count(*) from duckdb_secrets() where type = 's3'").fetchone()[0] == 0


def test_half_a_key_pair_is_refused_naming_both_variables() -> None:
    with pytest.raises(ValueError, match="POSTWATCH_S3_KEY_ID and POSTWATCH_S3_SECRET"):
        _s3_secret("s3://postwatch/wh/", {"POSTWATCH_S3_KEY_ID": "postwatch"})


def test_the_secret_is_bound_never_written_into_the_statement() -> None:
    statement, params = _s3_secret(
        "s3://postwatch/wh/", {"POSTWATCH_S3_KEY_ID": "k", "POSTWATCH_S3_SECRET": SECRET}
    )
    assert SECRET not in statement
    assert params["secret"] == SECRET


def test_an_https_endpoint_keeps_tls_and_a_bare_host_leaves_the_default() -> None:
    _, https = _s3_secret("s3://b/p/", {"POSTWATCH_S3_ENDPOINT": "https://s3.example.vn:9443"})
    _, bare = _s3_secret("s3://b/p/", {"POSTWATCH_S3_ENDPOINT": "s3.example.vn"})
    assert (https["endpoint"], https["use_ssl"]) == ("s3.example.vn:9443", True)
    assert bare["endpoint"] == "s3.example.vn" and "use_ssl" not in bare


@pytest.mark.parametrize(
    ("data_path", "env", "message"),
    [
        ("s3:///no-bucket", {}, "names no bucket"),
        ("s3://b/p/", {"POSTWATCH_S3_URL_STYLE": "virtual"}, "'path' or 'vhost'"),
        ("s3://b/p/", {"POSTWATCH_S3_ENDPOINT": "ftp://minio:21"}, "POSTWATCH_S3_ENDPOINT"),
    ],
)
def test_a_malformed_s3_setting_is_refused_with_the_variable_named(
    data_path: str, env: dict[str, str], message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        _s3_secret(data_path, env)
