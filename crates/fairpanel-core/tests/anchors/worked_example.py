#!/usr/bin/env python3
"""An independent anchor for the draw: recomputes the worked example of
docs/PROTOCOL.md (vector accept-dead-end) from its inputs with Python's hashlib and
the `cryptography` package's ChaCha20 (OpenSSL's), not with rand_chacha, and
checks the results against the literals below. tests/anchors.rs asserts the same
literals against the Rust code. Run by .ci/run; `pip install cryptography`.

Written from docs/PROTOCOL.md ("The seed", "The random stream, below(n) and the
ranks"), not from the Rust code."""

import hashlib
import struct
import sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms


def h(tag, m):
    """H(tag, m) = SHA-256(tag || 0x00 || m)."""
    return hashlib.sha256(tag.encode() + b"\x00" + m).digest()


class Stream:
    """The ChaCha20 keystream with the seed as key, block counter from 0 and a zero
    nonce, read as little-endian 64-bit words. cryptography's 16-byte nonce is the
    4-byte little-endian block counter followed by RFC 8439's 12-byte nonce."""

    def __init__(self, key):
        self.enc = Cipher(algorithms.ChaCha20(key, bytes(16)), mode=None).encryptor()

    def next_u64(self):
        return struct.unpack("<Q", self.enc.update(bytes(8)))[0]

    def below(self, n):
        limit = 2**64 - (2**64 % n)
        while True:
            x = self.next_u64()
            if x < limit:
                return x % n


def ranks(seed, n):
    order = list(range(n))
    s = Stream(seed)
    for i in range(n - 1, 0, -1):
        j = s.below(i + 1)
        order[i], order[j] = order[j], order[i]
    return order


# Inputs, from the worked example.
COMMIT = bytes.fromhex("f0506fd293c2f4411f8d42418e4dfdb6f5411ad5c97b9acc2fbcdf26f0cf785d")
SECRET = bytes.fromhex("8a2cda7147966b336db15e45d73cc98f657ed48379ec4670fd0e9d3e8404be81")
BEACON = bytes.fromhex("fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd")
VALUES = [bytes.fromhex("86f10a8d43c4e7c8554ad97fea7bb899e80dbfd9dc6db04350e1281e31e02b84")]

# Results, asserted here and in tests/anchors.rs.
COMMITMENT = "b54cfb3417bf8a068d523719a42413b0d8378e02cdcafcdc87dfbd5862e2a482"
SEED = "8da33df2986e0961a8556b2bc79f0613da29b3be474c96ee0b54db5ff5bffa94"
WORDS = [0x7ABF4428D1493BA7, 0x877AC61F63D29175, 0x832B3287DAB1B97F]
RANKS_4 = [0, 2, 1, 3]
RANKS_1000_FIRST_10 = [189, 311, 904, 50, 74, 457, 166, 259, 651, 31]
BELOW_2_63_PLUS_1 = [
    8844863135279561639,
    6525025781769353720,
    1023210813557997123,
    7474631611020541170,
    5612497911530490908,
    8789095859081894647,
    2227855893038351504,
    1217525057061640043,
]
BELOW_7 = [4, 4, 0, 1, 3, 6, 3, 0, 2, 5, 4, 4, 5, 0, 3, 1]


def main():
    got = {}
    # The cipher's layout, against RFC 8439 appendix A.1 test vector 1.
    zero = Stream(bytes(32))
    got["rfc8439"] = [zero.next_u64(), zero.next_u64()]
    want_rfc = [0x903DF1A0ADE0B876, 0x28BD8653E56A5D40]

    got["commitment"] = h("fairpanel/v1/secret", SECRET).hex()
    m = COMMIT + SECRET + b"\x01" + BEACON + struct.pack(">I", len(VALUES)) + b"".join(VALUES)
    seed = h("fairpanel/v1/seed", m)
    got["seed"] = seed.hex()
    s = Stream(seed)
    got["words"] = [s.next_u64() for _ in range(3)]
    got["ranks_4"] = ranks(seed, 4)
    got["ranks_1000_first_10"] = ranks(seed, 1000)[:10]
    # below(2^63 + 1) rejects every word from 2^63 + 1 up, about half of them;
    # below(7) reduces modulo 7.
    s = Stream(seed)
    got["below_2_63_plus_1"] = [s.below((1 << 63) + 1) for _ in range(8)]
    s = Stream(seed)
    got["below_7"] = [s.below(7) for _ in range(16)]

    want = {
        "rfc8439": want_rfc,
        "commitment": COMMITMENT,
        "seed": SEED,
        "words": WORDS,
        "ranks_4": RANKS_4,
        "ranks_1000_first_10": RANKS_1000_FIRST_10,
        "below_2_63_plus_1": BELOW_2_63_PLUS_1,
        "below_7": BELOW_7,
    }
    bad = [k for k in want if got[k] != want[k]]
    for k in want:
        print(f"{k}: {got[k]}" + ("" if k not in bad else f"  (expected {want[k]})"))
    if bad:
        print("worked example anchor: MISMATCH in " + ", ".join(bad), file=sys.stderr)
        sys.exit(1)
    print("worked example anchor: ok")


if __name__ == "__main__":
    main()
