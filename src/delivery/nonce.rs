//! Discord message nonces for ledger rows: a stable function of (channel, key), so every
//! resend of a row carries the same nonce and Discord (with `enforce_nonce`) drops the
//! duplicates of a message already created.

/// FNV-1a 128-bit offset basis.
const FNV_OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
/// FNV-1a 128-bit prime (2^88 + 0x13b).
const FNV_PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;

/// Maximum nonce length accepted by Discord.
pub const MAX_NONCE_LEN: usize = 25;

/// The nonce of the ledger row (channel, key): FNV-1a 128 of `"<channel>:<key>"` in base 36
/// (at most 25 characters, as Discord requires). Stable across builds and releases.
pub fn delivery_nonce(channel_id: u64, key: &str) -> String {
    let mut hash = FNV_OFFSET;
    let channel = channel_id.to_string();
    for byte in channel.bytes().chain([b':']).chain(key.bytes()) {
        hash ^= u128::from(byte);
        hash = hash.wrapping_mul(FNV_PRIME);
    }
    base36(hash)
}

fn base36(mut n: u128) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::with_capacity(MAX_NONCE_LEN);
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    out.into_iter().map(char::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonce_is_stable_short_and_distinct() {
        let a = delivery_nonce(123, "brief-1");
        assert_eq!(a, delivery_nonce(123, "brief-1"));
        assert_ne!(a, delivery_nonce(124, "brief-1"));
        assert_ne!(a, delivery_nonce(123, "brief-2"));
        assert!(a.len() <= MAX_NONCE_LEN);
        assert_eq!(base36(u128::MAX).len(), MAX_NONCE_LEN);
        assert_eq!(base36(0), "0");
        assert_eq!(base36(35), "z");
        assert_eq!(base36(36), "10");
    }

    #[test]
    fn nonce_does_not_change_across_releases() {
        // Pinned: changing the hash would make Discord accept duplicates after an upgrade.
        assert_eq!(delivery_nonce(1, "a"), PINNED);
    }

    const PINNED: &str = "9uyoxa0oxb8a6247sfxszlfa1";
}
