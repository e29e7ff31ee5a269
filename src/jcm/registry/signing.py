"""The registry's checkpoint signing key, from the environment.

``JCM_CHECKPOINT_SIGNING_KEY`` is the path to an Ed25519 private key (PEM, PKCS#8, no password;
``jcm ledger new-signing-key FILE`` or ``openssl genpkey -algorithm ed25519 -out FILE``). When it is
unset or empty, checkpoints are published unsigned. When it is set but the file cannot be read or
is not an Ed25519 key, publishing a checkpoint is refused with an error naming the variable (a
registry that meant to sign must not silently stop). A Django setting of the same name, if present,
takes precedence (tests use it). The signing itself is ``core.signing``.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from jcm.registry.core import signing
from jcm.registry.core.errors import InvalidInput
from jcm.registry.core.messages import N_, Message

ENV = "JCM_CHECKPOINT_SIGNING_KEY"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PublicKeyInfo:
    algorithm: str
    pem: str
    fingerprint: str  # SHA-256 of the raw public key, hex
    message_format: str = f"{signing.PREFIX}:<sequence>:<hash>"


def key_path() -> str:
    configured = getattr(settings, ENV, None)
    return str(configured if configured is not None else os.environ.get(ENV, "")).strip()


def signing_key() -> signing.Ed25519PrivateKey | None:
    """The configured private key, or None when signing is not configured.

    Raises InvalidInput naming ``JCM_CHECKPOINT_SIGNING_KEY`` when the file cannot be read or is not
    an Ed25519 private key."""
    path = key_path()
    if not path:
        return None
    try:
        pem = Path(path).read_bytes()
    except OSError as exc:
        raise InvalidInput(
            Message(N_("%(variable)s: cannot read the key file %(path)s (%(reason)s)"), variable=ENV, path=path,
                    reason=exc.strerror or type(exc).__name__)
        ) from exc
    return signing.load_private_key(pem, source=f"{ENV} ({path})")


def public_key() -> PublicKeyInfo | None:
    """The public half of the configured key, to publish; None when unsigned. Raises like
    :func:`signing_key`."""
    key = signing_key()
    if key is None:
        return None
    pub = key.public_key()
    return PublicKeyInfo("Ed25519", signing.public_key_pem(pub), signing.fingerprint(pub))


def public_key_or_none() -> PublicKeyInfo | None:
    """As :func:`public_key`, but a misconfigured key is logged and treated as absent (public pages
    must not fail over it; publishing checkpoints does)."""
    try:
        return public_key()
    except InvalidInput as exc:
        log.error("checkpoint signing key unusable: %s", exc)
        return None
