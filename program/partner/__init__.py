"""Both partners: pairing, sealed envelopes and commit-then-reveal, with no server.

Each partner keeps their own store; what travels are small sealed envelopes
(`envelope`), written once into a folder the couple already syncs, or pasted as a
text bundle. The cryptography is PyNaCl's (libsodium): a Curve25519 `Box` between
the two devices, `SecretBox` for an answer not yet revealed, BLAKE2b for hashes
and commitments. The store (`state`) only keeps the bytes and the bookkeeping.
"""

SYNC_SECONDS = 300.0
"""While a folder is linked, the app and the reminder service exchange on start and every
five minutes: soon enough that a partner's half is in by the next look, rare enough that a
sync tool's folder is hardly touched."""
