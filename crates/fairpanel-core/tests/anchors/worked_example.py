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
COMMIT = bytes.fromhex("d980c482cce0ca53128ee7894352ecb8f50d191e90d2a56f84e56dd3b6a85d36")
SECRET = bytes.fromhex("837191536fde4d8ac0d3307923b4f125bbcbfab46687b4eb5693a1a2f7494d4b")
BEACON = bytes.fromhex("fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd")
VALUES = [bytes.fromhex("ac75d408486c7fb7f6eda998ec9c48272149c1f5aec1ad02b2172d050ee03c83")]

# Results, asserted here and in tests/anchors.rs.
COMMITMENT = "dd641aea41fc33fa6c2ae7f3013ee12865ca29f73dfa9f428cd83d27639d2da7"
SEED = "c862ba432f6223b7d084a61ce2e223f375b9896a0a30f0d4bfff04029c15006a"
WORDS = [0x3ABDEDE5B2EA7640, 0xD797DD657F988539, 0xDE9E78B5F04F6DA2]
RANKS_4 = [1, 3, 2, 0]
RANKS_1000_FIRST_10 = [402, 937, 980, 990, 618, 174, 164, 877, 71, 965]
BELOW_2_63_PLUS_1 = [
    4232800795603138112,
    4934234164712002248,
    995645299412075592,
    5546383919866553118,
    3461544617663037766,
    5097375972708909298,
    1068593989307502604,
    6993495197666847883,
]
BELOW_7 = [4, 0, 3, 4, 4, 6, 2, 4, 0, 0, 5, 6, 6, 1, 0, 5]


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
