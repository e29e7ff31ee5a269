"""Ed25519 signatures over checkpoints, without Django: what is signed, what is accepted."""

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from jcm.registry.core import signing
from jcm.registry.core.errors import InvalidInput

H = "ab" * 32


def test_a_signature_binds_the_sequence_and_the_hash():
    key = signing.generate_private_key()
    pub = signing.load_public_key(signing.public_key_pem(key.public_key()).encode())
    sig = signing.sign_checkpoint(key, 7, H)
    assert len(sig) == 128 and signing.signature_valid(pub, 7, H, sig)
    assert signing.checkpoint_message(7, H) == f"jcm-journal-checkpoint-v1:7:{H}".encode()
    assert not signing.signature_valid(pub, 8, H, sig)
    assert not signing.signature_valid(pub, 7, "cd" * 32, sig)
    assert not signing.signature_valid(pub, 7, H, sig[:-2] + ("00" if sig[-2:] != "00" else "11"))
    assert not signing.signature_valid(pub, 7, H, "zz" * 64) and not signing.signature_valid(pub, 7, H, sig[:64])
    other = signing.generate_private_key().public_key()
    assert not signing.signature_valid(other, 7, H, sig)
    assert signing.fingerprint(pub) == signing.fingerprint(key.public_key()) != signing.fingerprint(other)


def test_keys_load_from_pem_and_anything_else_is_refused_by_name():
    key = signing.generate_private_key()
    again = signing.load_private_key(signing.private_key_pem(key).encode(), source="keyfile")
    assert signing.fingerprint(again.public_key()) == signing.fingerprint(key.public_key())
    with pytest.raises(InvalidInput, match="keyfile: not a PEM private key"):
        signing.load_private_key(b"hello", source="keyfile")
    ec_key = ec.generate_private_key(ec.SECP256R1())
    ec_pem = ec_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption())
    with pytest.raises(InvalidInput, match="keyfile: not an Ed25519 key"):
        signing.load_private_key(ec_pem, source="keyfile")
    ec_pub = ec_key.public_key().public_bytes(serialization.Encoding.PEM,
                                              serialization.PublicFormat.SubjectPublicKeyInfo)
    with pytest.raises(InvalidInput, match="pubfile: not an Ed25519 key"):
        signing.load_public_key(ec_pub, source="pubfile")
    with pytest.raises(InvalidInput, match="pubfile: not a PEM public key"):
        signing.load_public_key(b"-----BEGIN PUBLIC KEY-----\nxx\n-----END PUBLIC KEY-----\n", source="pubfile")
