# SPDX-License-Identifier: Apache-2.0
"""Keys and tokens against the vectors of tests/attest/vectors (see its
README for what a correct verifier concludes about each)."""
import base64
import json
import os
import tempfile
import unittest

import fasco
from fasco import KeyFormat

from support import vector

TOKEN = "cca-token-draft-ffm-00.cbor"


def b64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def cpak_point():
    """The SEC1 point of cpak.json, decoded here independently of libfasco."""
    jwk = json.loads(vector("cpak.json"))
    return b"\x04" + b64url(jwk["x"]) + b64url(jwk["y"])


def cose_key_p384(point):
    """COSE_Key {1: 2 (EC2), -1: 2 (P-384), -2: x, -3: y}, deterministic CBOR."""
    x, y = point[1:49], point[49:]
    return bytes([0xA4, 0x01, 0x02, 0x20, 0x02, 0x21, 0x58, 48]) + x + bytes([0x22, 0x58, 48]) + y


class KeyTest(unittest.TestCase):
    def test_every_format_gives_the_same_point(self):
        point = cpak_point()
        self.assertEqual(len(point), 97)
        pem = fasco.key_to_pem(point)
        self.assertTrue(pem.startswith("-----BEGIN PUBLIC KEY-----\n"))
        der = base64.b64decode("".join(pem.splitlines()[1:-1]))
        inputs = [
            (vector("cpak.json"), KeyFormat.JWK), (vector("cpak.json"), KeyFormat.AUTO),
            (vector("ta-tfa.json"), KeyFormat.TA_JSON), (vector("ta-tfa.json"), KeyFormat.AUTO),
            (pem, KeyFormat.PEM), (pem, KeyFormat.AUTO), (der, KeyFormat.PEM),
            (cose_key_p384(point), KeyFormat.COSE), (point, KeyFormat.RAW),
            (bytearray(point), KeyFormat.RAW), (memoryview(point), KeyFormat.RAW),
        ]
        for data, fmt in inputs:
            self.assertEqual(fasco.key_parse(data, fmt), point, fmt.name)

    def test_key_files(self):
        point = cpak_point()
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "key.pem")
            with open(path, "w", encoding="ascii") as f:
                f.write(fasco.key_to_pem(point))
            self.assertEqual(fasco.key_parse_file(path), point)
            self.assertEqual(fasco.key_parse_file(path.encode(), KeyFormat.PEM), point)
            with open(path, "wb") as f:
                f.write(b"x" * (65 << 10))
            with self.assertRaises(fasco.FascoError):
                fasco.key_parse_file(path)

    def test_bad_keys(self):
        bad = [b"", b"{", b'{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}',
               b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
               b"\x04" + bytes(96)]  # (0, 0) is not on the curve
        for data in bad:
            with self.assertRaises(fasco.FascoError) as cm:
                fasco.key_parse(data)
            self.assertIn(cm.exception.code, (fasco.Status.E_KEY, -22), data)
            self.assertTrue(cm.exception.message, data)
        with self.assertRaises(fasco.InvalidKeyError):
            fasco.key_parse(cpak_point()[:-1], KeyFormat.RAW)
        with self.assertRaises(fasco.InvalidArgumentError):
            fasco.key_parse(cpak_point(), 99)
        with self.assertRaises(fasco.FascoError):
            fasco.key_to_pem(b"\x04\x01\x02")


class AnchorAndClaimsTest(unittest.TestCase):
    def test_anchor_count(self):
        self.assertEqual(fasco.anchor_count(vector("ta-tfa.json")), 1)
        self.assertEqual(fasco.anchor_count(vector("cpak.json"), KeyFormat.JWK), 1)
        jwk = vector("cpak.json").decode()
        two = f'[{{"pkey": {jwk}, "instance-id": "01{"0" * 64}"}}, {{"pkey": {jwk}}}]'
        self.assertEqual(fasco.anchor_count(two, KeyFormat.TA_JSON), 2)
        for bad in ("[]", "{", ""):
            with self.assertRaises(fasco.FascoError):
                fasco.anchor_count(bad, KeyFormat.TA_JSON)

    def test_claims_check(self):
        realm = fasco.claims_check(vector("realm-claims.cbor"), fasco.ClaimsKind.REALM)
        self.assertIsInstance(realm, fasco.RealmClaims)
        self.assertEqual(len(realm.challenge), 64)
        self.assertIn(len(realm.rim), (32, 48, 64))
        for name in ("realm-claims+spurious-numeric-key.cbor",
                     "realm-claims+spurious-text-key.cbor"):  # unknown claims are ignored
            self.assertEqual(fasco.claims_check(vector(name), fasco.ClaimsKind.REALM).rim,
                             realm.rim)
        platform = fasco.claims_check(vector("platform-claims.cbor"), fasco.ClaimsKind.PLATFORM)
        self.assertIsInstance(platform, fasco.PlatformClaims)
        self.assertGreater(platform.sw_count, 0)
        with self.assertRaises(fasco.ClaimError) as cm:
            fasco.claims_check(vector("realm-claims-missing-challenge.cbor"),
                               fasco.ClaimsKind.REALM)
        self.assertEqual(cm.exception.code, fasco.Status.E_CLAIM_MISSING)
        with self.assertRaises(fasco.AttestationError):
            fasco.claims_check(vector("realm-claims.cbor"), fasco.ClaimsKind.PLATFORM)
        with self.assertRaises(fasco.TokenFormatError):
            fasco.claims_check(b"\xa1", fasco.ClaimsKind.REALM)
        with self.assertRaises(fasco.FascoError):
            fasco.claims_check(vector("realm-claims.cbor"), 9)


class TokenTest(unittest.TestCase):
    def test_draft_token_is_valid(self):
        claims = fasco.token_verify(vector(TOKEN), vector("ta-tfa.json"), KeyFormat.TA_JSON)
        self.assertEqual(claims.collection_tag, 399)
        self.assertTrue(claims.platform_verified)
        self.assertEqual(claims.realm.alg, -35)  # ES384
        self.assertEqual(claims.platform.alg, -35)
        self.assertEqual(len(claims.realm.rim), 32)
        self.assertEqual(claims.realm.rim[0], 0x31)
        self.assertEqual(claims.realm.rem[3][0], 0x32)
        self.assertEqual(len(claims.realm.challenge), 64)
        self.assertEqual(claims.realm.rak, fasco.key_parse(claims.realm.rak, KeyFormat.RAW))
        self.assertEqual(claims.platform.sw_count, 13)
        self.assertEqual(len(claims.platform.sw_components), 13)
        self.assertEqual(claims.platform.sw_components[12].type, "SOC_FW_CONFIG")
        self.assertEqual(claims.platform.lifecycle, 0x3003)
        self.assertEqual(claims.platform.instance_id[0], 0x01)
        # the same key as a bare JWK, and as str
        fasco.token_verify(vector(TOKEN), vector("cpak.json").decode(), KeyFormat.JWK)
        fasco.token_verify(vector(TOKEN), fasco.key_to_pem(cpak_point()))

    def test_binding_mismatch(self):
        with self.assertRaises(fasco.BindingError) as cm:
            fasco.token_verify(vector("bug-33-repro.cbor"), vector("ta-tfa.json"))
        self.assertEqual(cm.exception.code, fasco.Status.E_BINDING)
        self.assertIn("sha-256 of the realm public key", cm.exception.message)

    def test_anchor_required_unless_skipped(self):
        with self.assertRaises(fasco.InvalidKeyError):
            fasco.token_verify(vector(TOKEN))
        claims = fasco.token_verify(vector(TOKEN), skip_platform_signature=True)
        self.assertFalse(claims.platform_verified)

    def test_reference_values(self):
        token, anchor = vector(TOKEN), vector("cpak.json")
        c = fasco.token_verify(token, anchor).realm
        fasco.token_verify(token, anchor, challenge=c.challenge, rpv=c.rpv, rim=c.rim,
                           rem=list(c.rem))
        wrong = bytes(64)
        with self.assertRaises(fasco.AppraisalError) as cm:
            fasco.token_verify(token, anchor, challenge=wrong)
        self.assertEqual(cm.exception.code, fasco.Status.E_CHALLENGE)
        with self.assertRaisesRegex(fasco.AppraisalError, "initial measurement"):
            fasco.token_verify(token, anchor, rim=bytes(len(c.rim)))
        with self.assertRaisesRegex(fasco.AppraisalError, r"REM\[2\]"):
            fasco.token_verify(token, anchor, rem=[None, None, wrong[:len(c.rim)], None])
        with self.assertRaises(ValueError):
            fasco.token_verify(token, anchor, rem=[c.rem[0]])

    def test_tampered_tokens(self):
        token = bytearray(vector(TOKEN))
        token[-10] ^= 0x01  # inside the realm token's signature
        with self.assertRaises(fasco.SignatureError):
            fasco.token_verify(bytes(token), vector("cpak.json"))
        with self.assertRaises(fasco.TokenFormatError):
            fasco.token_verify(vector(TOKEN)[:100], vector("cpak.json"))
        with self.assertRaises(fasco.TokenFormatError):
            fasco.token_verify(b"", vector("cpak.json"))
        for name in ("platform-claims.cbor", "realm-claims.cbor"):  # claims, not tokens
            with self.assertRaises(fasco.AttestationError):
                fasco.token_verify(vector(name), vector("cpak.json"))

    def test_show_json(self):
        text = fasco.token_show_json(vector(TOKEN))
        doc = json.loads(text)
        self.assertEqual(doc["tag"], 399)
        self.assertIn("platform", doc)
        self.assertIn("realm", doc)
        with self.assertRaises(fasco.TokenFormatError):
            fasco.token_show_json(b"\xff")


if __name__ == "__main__":
    unittest.main()
