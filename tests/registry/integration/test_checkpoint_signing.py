"""Checkpoints signed with the registry's Ed25519 key (JCM_CHECKPOINT_SIGNING_KEY): signed when
configured, unsigned when not, refused when misconfigured; the public key is published; the offline
verifier checks signatures with --public-key."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from ninja.testing import TestClient
from typer.testing import CliRunner

from jcm.audit.models import AuditEvent
from jcm.registry import services
from jcm.registry.api_journal import router as journal_router
from jcm.registry.cli import app
from jcm.registry.core import signing
from jcm.registry.core.errors import InvalidInput
from jcm.registry.core.serials import SerialRange as R
from jcm.registry.models import Checkpoint
from jcm.registry.services.journal import publish_checkpoint

from .conftest import NOW, key

pytestmark = pytest.mark.django_db
runner = CliRunner()
journal_api = TestClient(journal_router)


def out(result) -> str:
    """Everything printed, with the usage error box's borders and line wrapping undone."""
    text = result.output + (result.stderr if result.stderr_bytes is not None else "")
    return " ".join(text.replace("│", " ").split())


@pytest.fixture
def unsigned(settings, monkeypatch):
    monkeypatch.delenv("JCM_CHECKPOINT_SIGNING_KEY", raising=False)
    settings.JCM_CHECKPOINT_SIGNING_KEY = ""


@pytest.fixture
def keys(tmp_path, settings):
    """A signing key made with `jcm ledger new-signing-key`, configured; returns (private, public PEM path)."""
    private = tmp_path / "checkpoints.key"
    result = runner.invoke(app, ["new-signing-key", str(private)])
    assert result.exit_code == 0, out(result)
    assert stat.S_IMODE(os.stat(private).st_mode) == 0o600
    pem = result.output[result.output.index("-----BEGIN PUBLIC KEY-----"):]
    public = tmp_path / "checkpoints.pub"
    public.write_text(pem)
    settings.JCM_CHECKPOINT_SIGNING_KEY = str(private)
    return private, public


def public_key(path: Path):
    return signing.load_public_key(path.read_bytes())


def test_new_signing_key_never_overwrites(tmp_path):
    target = tmp_path / "k.pem"
    target.write_text("precious")
    result = runner.invoke(app, ["new-signing-key", str(target)])
    assert result.exit_code == 1 and "error: file:" in out(result) and "exists already" in out(result)
    assert target.read_text() == "precious"


def test_checkpoints_are_signed_with_the_configured_key(issued, keys):
    _private, public = keys
    cp = services.create_checkpoint(now=NOW)
    pub = public_key(public)
    assert signing.signature_valid(pub, cp.sequence, cp.hash, cp.signature)
    assert AuditEvent.objects.get(action="registry.checkpoint").after["signed_by"] == signing.fingerprint(pub)
    services.transfer(idempotency_key=key(), from_account="JP-GOV", to_account="JP-BUYER", ranges=[R(3, 4)], now=NOW)
    run = publish_checkpoint(now=NOW)
    assert run.created and signing.signature_valid(pub, run.sequence, run.hash, run.signature)
    result = runner.invoke(app, ["public-key"])
    assert result.exit_code == 0 and result.output == public.read_text()


def test_unsigned_without_a_key(issued, unsigned):
    cp = services.create_checkpoint(now=NOW)
    assert cp.signature == "" and "signed_by" not in AuditEvent.objects.get(action="registry.checkpoint").after
    result = runner.invoke(app, ["public-key"])
    assert result.exit_code == 1 and "error: JCM_CHECKPOINT_SIGNING_KEY: not set" in out(result)
    assert journal_api.get("/journal/public-key").status_code == 404


def test_a_misconfigured_key_refuses_to_publish(issued, settings, tmp_path):
    settings.JCM_CHECKPOINT_SIGNING_KEY = str(tmp_path / "missing.pem")
    with pytest.raises(InvalidInput, match=r"JCM_CHECKPOINT_SIGNING_KEY: cannot read the key file .*missing\.pem"):
        services.create_checkpoint(now=NOW)
    bad = tmp_path / "bad.pem"
    bad.write_text("not a key")
    settings.JCM_CHECKPOINT_SIGNING_KEY = str(bad)
    result = runner.invoke(app, ["checkpoint"])
    assert result.exit_code == 1 and "error: journal: JCM_CHECKPOINT_SIGNING_KEY" in out(result)
    assert "not a PEM private key" in out(result)
    assert Checkpoint.objects.count() == 0


def test_export_carries_signatures_and_verify_checks_them(issued, keys, tmp_path):
    _private, public = keys
    cp = services.create_checkpoint(now=NOW)
    path = tmp_path / "journal.jsonl"
    assert runner.invoke(app, ["export", str(path)]).exit_code == 0
    lines = path.read_text().splitlines()
    assert json.loads(lines[-1]) == {"type": "checkpoint", "sequence": cp.sequence, "hash": cp.hash,
                                     "created_at": NOW.isoformat(), "signature": cp.signature}
    good = f"{cp.sequence}:{cp.hash}:{cp.signature}"
    result = runner.invoke(app, ["verify", "--export", str(path), "--public-key", str(public), "--checkpoint", good])
    assert result.exit_code == 0, out(result)
    assert "2 checkpoint signature(s) valid (0 checkpoint(s) unsigned)" in result.output
    # on the database too
    assert runner.invoke(app, ["verify", "--public-key", str(public), "--checkpoint", good]).exit_code == 0

    # a checkpoint someone claims the registry signed, with a signature it never made
    other = signing.generate_private_key()
    forged = f"{cp.sequence}:{cp.hash}:{signing.sign_checkpoint(other, cp.sequence, cp.hash)}"
    result = runner.invoke(app, ["verify", "--export", str(path), "--public-key", str(public), "--checkpoint", forged])
    assert result.exit_code == 1
    assert (f"FAIL signature: the checkpoint you gave at entry {cp.sequence} has a signature that the public key "
            "does not accept") in out(result)

    # a tampered signature in the export
    flipped = cp.signature[:-1] + ("0" if cp.signature[-1] != "0" else "1")
    path.write_text(path.read_text().replace(cp.signature, flipped))
    result = runner.invoke(app, ["verify", "--export", str(path), "--public-key", str(public)])
    assert result.exit_code == 1 and f"FAIL signature: checkpoint at entry {cp.sequence}" in out(result)
    assert runner.invoke(app, ["verify", "--export", str(path)]).exit_code == 0  # without the key: not checked

    # another registry's key does not accept this registry's signatures
    other_pub = tmp_path / "other.pub"
    other_pub.write_text(signing.public_key_pem(other.public_key()))
    result = runner.invoke(app, ["verify", "--export", str(path), "--public-key", str(other_pub)])
    assert result.exit_code == 1 and "FAIL signature" in out(result)


def test_a_public_key_file_that_is_not_one_is_a_usage_error(issued, tmp_path):
    junk = tmp_path / "junk.pem"
    junk.write_text("junk")
    result = runner.invoke(app, ["verify", "--public-key", str(junk)])
    assert result.exit_code == 2 and "Invalid value for --public-key" in out(result)
    assert "not a PEM public key (Unable to load PEM file)" in out(result)  # after the file's name
    result = runner.invoke(app, ["verify", "--checkpoint", "1:" + "a" * 64 + ":abc"])
    assert result.exit_code == 2 and "128 hexadecimal" in out(result)


def test_public_key_and_signatures_are_published(client, issued, keys):
    _private, public = keys
    cp = services.create_checkpoint(now=NOW)
    body = journal_api.get("/journal/public-key").json()
    pub = public_key(public)
    assert body == {"algorithm": "Ed25519", "public_key": public.read_text(), "fingerprint": signing.fingerprint(pub),
                    "message_format": "jcm-journal-checkpoint-v1:<sequence>:<hash>"}
    assert journal_api.get("/journal/checkpoints").json()["checkpoints"][0]["signature"] == cp.signature
    for lang in ("en", "ja"):
        page = client.get(f"/{lang}/registry/checkpoints/").text
        assert public.read_text().strip() in page and signing.fingerprint(pub) in page and cp.signature in page
        assert f"--checkpoint {cp.sequence}:{cp.hash}:{cp.signature}" in page and "--public-key" in page
        download = client.get(f"/{lang}/registry/checkpoints/public-key.pem")
        assert download.status_code == 200 and download.content.decode() == public.read_text()


def test_unsigned_registry_says_so(client, issued, unsigned):
    services.create_checkpoint(now=NOW)
    page = client.get("/en/registry/checkpoints/").text
    assert "Checkpoints are not signed." in page and "--public-key" not in page
    assert client.get("/en/registry/checkpoints/public-key.pem").status_code == 404


def test_the_key_is_read_from_the_environment(issued, monkeypatch, tmp_path):
    from django.conf import settings as django_settings

    assert not hasattr(django_settings, "JCM_CHECKPOINT_SIGNING_KEY")  # the variable, not a setting, by default
    private = tmp_path / "env.key"
    private.write_text(signing.private_key_pem(signing.generate_private_key()))
    monkeypatch.setenv("JCM_CHECKPOINT_SIGNING_KEY", str(private))
    pub = signing.load_private_key(private.read_bytes()).public_key()
    cp = services.create_checkpoint(now=NOW)
    assert signing.signature_valid(pub, cp.sequence, cp.hash, cp.signature)
