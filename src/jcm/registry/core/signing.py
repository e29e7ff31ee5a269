"""Ed25519 signatures over journal checkpoints.

A registry that signs its checkpoints cannot later disown one that a reader recorded: the signature
proves the registry itself published that ``(sequence, hash)``. The signed message is the ASCII text

    jcm-journal-checkpoint-v1:<sequence>:<hash>

(``<sequence>`` in decimal, ``<hash>`` the entry's 64 lower-case hex characters); the signature is
stored and published as 128 lower-case hex characters (Ed25519, RFC 8032). The time a checkpoint was
published is not signed. Keys are PEM files: PKCS#8 for the private key (``openssl genpkey -algorithm
ed25519``), SubjectPublicKeyInfo for the public key (``openssl pkey -pubout``).

Plain values in and out; reading key files is the caller's business.
"""

from __future__ import annotations

import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .errors import InvalidInput
from .messages import N_, Message

PREFIX = "jcm-journal-checkpoint-v1"

__all__ = [
    "Ed25519PrivateKey",
    "Ed25519PublicKey",
    "checkpoint_message",
    "fingerprint",
    "generate_private_key",
    "load_private_key",
    "load_public_key",
    "private_key_pem",
    "public_key_pem",
    "sign_checkpoint",
    "signature_valid",
]


def checkpoint_message(sequence: int, hash: str) -> bytes:
    return f"{PREFIX}:{sequence}:{hash}".encode("ascii")


def sign_checkpoint(key: Ed25519PrivateKey, sequence: int, hash: str) -> str:
    """The signature of checkpoint ``(sequence, hash)``, as 128 hex characters."""
    return key.sign(checkpoint_message(sequence, hash)).hex()


def signature_valid(key: Ed25519PublicKey, sequence: int, hash: str, signature: str) -> bool:
    """Is ``signature`` (hex) the key's signature of checkpoint ``(sequence, hash)``? Malformed hex
    is simply not valid."""
    try:
        raw = bytes.fromhex(signature)
    except ValueError:
        return False
    if len(raw) != 64:
        return False
    try:
        key.verify(raw, checkpoint_message(sequence, hash))
    except InvalidSignature:
        return False
    return True


def generate_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def load_private_key(pem: bytes, *, source: str = "the key file") -> Ed25519PrivateKey:
    """An Ed25519 private key from PEM (PKCS#8, unencrypted); InvalidInput naming ``source`` otherwise."""
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise InvalidInput(
            Message(N_("%(source)s: not a PEM private key without a password (%(reason)s)"), source=source,
                    reason=_first_sentence(exc))
        ) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise InvalidInput(Message(N_("%(source)s: not an Ed25519 key"), source=source))
    return key


def load_public_key(pem: bytes, *, source: str = "the public key file") -> Ed25519PublicKey:
    """An Ed25519 public key from PEM (SubjectPublicKeyInfo); InvalidInput naming ``source`` otherwise."""
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError) as exc:
        raise InvalidInput(
            Message(N_("%(source)s: not a PEM public key (%(reason)s)"), source=source,
                    reason=_first_sentence(exc))
        ) from exc
    if not isinstance(key, Ed25519PublicKey):
        raise InvalidInput(Message(N_("%(source)s: not an Ed25519 key"), source=source))
    return key


def _first_sentence(exc: Exception) -> str:
    text = str(exc).strip()
    return text.split(". ")[0].splitlines()[0].rstrip(".") if text else type(exc).__name__


def private_key_pem(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")


def public_key_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode(
        "ascii"
    )


def fingerprint(key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw 32-byte public key, in hex: a short name to compare keys by."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()
