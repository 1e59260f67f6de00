//! Random-looking serials as a keyed permutation of the sequence number (format-preserving
//! encryption). Pure: the key comes from the caller.
//!
//! A series of random serials of `len` characters is the set of strings over
//! [`RANDOM_ALPHABET`](super::RANDOM_ALPHABET) of that length, that is the numbers
//! `0 .. 62^len` written in base 62. Serial number `seq` of the series is
//! `base62(permute(key, seq))`, where `permute` is a bijection of `0 .. 62^len` keyed with the
//! series' 256-bit key. So:
//!
//! - serials are unique by construction (distinct sequence numbers, a bijection): the ledger only
//!   has to hand out each sequence number once, exactly as for sequential serials, and an issued
//!   batch is the range `first_seq .. first_seq + count`;
//! - without the key, a serial says nothing about its neighbours (the permutation is a
//!   pseudo-random permutation as long as AES is a pseudo-random function);
//! - with the key, a scanned serial goes back to its sequence number ([`KeyedSerials::seq_of`]),
//!   so the ledger finds the range that issued it without storing the serial.
//!
//! The permutation ([`Permutation`]) is the alternating-radix Feistel network of NIST SP 800-38G
//! FF1 and of Black & Rogaway's "Ciphers with arbitrary finite domains" (method FE2): a number
//! `x < a·b` is split into `L = x mod a`, `R = x div a`; round `j` replaces `(L, R)` with
//! `(R, (L + F_j(R)) mod m_j)` where `m_j` alternates between `a` and `b`; ten rounds. The round
//! function `F_j` is AES-256 under a key derived from the series key and the domain, applied to
//! `(R, j)`, reduced modulo `m_j` from 128 bits (the bias is below 2^-64). For a domain that is
//! not a product of its two halves, cycle-walking applies the network again until the result
//! falls inside the domain; for `62^len` the halves are `62^⌈len/2⌉ × 62^⌊len/2⌋`, so it never
//! has to walk.
//!
//! Why hand-written rather than the `fpe` crate: `fpe` 0.7 implements exactly FF1 and fits the
//! domain (radix 62), but it does each round in arbitrary-precision arithmetic (`num-bigint`,
//! allocating): measured on the 2-core CI machine, it enciphers a million 12-character radix-62
//! strings in 7.1 s, slower than the stored random serials this replaces. The same construction
//! on two machine words with the `aes` crate's hardware AES takes a fraction of a second. This is
//! not an FF1 implementation (the round input is laid out differently, so FF1's test vectors do
//! not apply); its own known-answer vectors are frozen in the tests.

use aes::Aes256;
use aes::cipher::generic_array::GenericArray;
use aes::cipher::{BlockEncrypt, KeyInit};

use super::{MAX_LEN, PatternError, RANDOM_ALPHABET};
use crate::problem::Problems;

/// Feistel rounds, as FF1.
pub const ROUNDS: u8 = 10;

/// The largest half: keeps `L + F` inside a `u64` and `a·b` inside a `u128`.
const MAX_HALF: u64 = 1 << 62;

/// Why a permutation cannot be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PermutationError {
    #[error("the domain is empty")]
    EmptyDomain,
    #[error("the domain is too large: at most about 2^124 values")]
    DomainTooLarge,
}

/// A keyed bijection of `0 .. domain`.
#[derive(Clone)]
pub struct Permutation {
    cipher: Aes256,
    a: u64,
    b: u64,
    domain: u128,
}

impl std::fmt::Debug for Permutation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the key schedule.
        f.debug_struct("Permutation")
            .field("a", &self.a)
            .field("b", &self.b)
            .field("domain", &self.domain)
            .finish_non_exhaustive()
    }
}

impl Permutation {
    /// The permutation of `0 .. domain` under `key`: halves `a = ⌈√domain⌉`, `b = ⌈domain / a⌉`,
    /// cycle-walking over the at most `a - 1` values of `a·b` beyond the domain.
    pub fn new(key: &[u8; 32], domain: u128) -> Result<Permutation, PermutationError> {
        if domain == 0 {
            return Err(PermutationError::EmptyDomain);
        }
        let mut a = domain.isqrt();
        if a * a < domain {
            a += 1;
        }
        let b = domain.div_ceil(a);
        Self::with_halves(key, a, b, domain)
    }

    /// The permutation of `0 .. radix^len` (the strings of `len` digits in base `radix`), with the
    /// halves `radix^⌈len/2⌉` and `radix^⌊len/2⌋`: exact, so it never walks.
    pub fn of_strings(
        key: &[u8; 32],
        radix: u32,
        len: u32,
    ) -> Result<Permutation, PermutationError> {
        if radix == 0 {
            return Err(PermutationError::EmptyDomain);
        }
        let pow = |n: u32| {
            u128::from(radix)
                .checked_pow(n)
                .ok_or(PermutationError::DomainTooLarge)
        };
        let a = pow(len.div_ceil(2))?;
        let b = pow(len / 2)?;
        let domain = a.checked_mul(b).ok_or(PermutationError::DomainTooLarge)?;
        Self::with_halves(key, a, b, domain)
    }

    fn with_halves(
        key: &[u8; 32],
        a: u128,
        b: u128,
        domain: u128,
    ) -> Result<Permutation, PermutationError> {
        let (Ok(a), Ok(b)) = (u64::try_from(a), u64::try_from(b)) else {
            return Err(PermutationError::DomainTooLarge);
        };
        if a > MAX_HALF || b > MAX_HALF {
            return Err(PermutationError::DomainTooLarge);
        }
        // The round key depends on the halves and the domain, so one series key used over two
        // domains gives two unrelated permutations. Each half of it is a two-block CBC-MAC (a PRF
        // for inputs of one fixed length) under the series key: E(E(domain) ⊕ (a ‖ b ‖ i)).
        let master = Aes256::new(GenericArray::from_slice(key));
        let mut derived = [0u8; 32];
        for (i, chunk) in derived.chunks_mut(16).enumerate() {
            let mut block = GenericArray::from(domain.to_le_bytes());
            master.encrypt_block(&mut block);
            let mut second = [0u8; 16];
            second[..8].copy_from_slice(&a.to_le_bytes());
            second[8..].copy_from_slice(&b.to_le_bytes());
            // a, b ≤ 2^62: the top bit of b's last byte is free for the index.
            second[15] |= (i as u8) << 7;
            for (x, y) in block.iter_mut().zip(second) {
                *x ^= y;
            }
            master.encrypt_block(&mut block);
            chunk.copy_from_slice(&block);
        }
        Ok(Permutation {
            cipher: Aes256::new(GenericArray::from_slice(&derived)),
            a,
            b,
            domain,
        })
    }

    /// How many values are permuted.
    pub fn domain(&self) -> u128 {
        self.domain
    }

    /// The round function: `F_j(x) mod m`.
    fn round(&self, j: u8, x: u64, m: u64) -> u64 {
        let mut block = [0u8; 16];
        block[..8].copy_from_slice(&x.to_le_bytes());
        block[8] = j;
        let mut block = GenericArray::from(block);
        self.cipher.encrypt_block(&mut block);
        let wide = u128::from_le_bytes(block.into());
        // m ≤ 2^62, so the remainder fits.
        (wide % u128::from(m)) as u64
    }

    fn modulus(&self, j: u8) -> u64 {
        if j % 2 == 1 { self.a } else { self.b }
    }

    /// One pass of the network over `0 .. a·b`.
    fn encipher(&self, x: u128) -> u128 {
        let a = u128::from(self.a);
        let (mut l, mut r) = ((x % a) as u64, (x / a) as u64);
        for j in 1..=ROUNDS {
            let m = self.modulus(j);
            let f = self.round(j, r, m);
            // l < m and f < m ≤ 2^62: no overflow.
            let t = l + f;
            let t = if t >= m { t - m } else { t };
            l = r;
            r = t;
        }
        // ROUNDS is even: L < a, R < b again.
        a * u128::from(r) + u128::from(l)
    }

    fn decipher(&self, y: u128) -> u128 {
        let a = u128::from(self.a);
        let (mut l, mut r) = ((y % a) as u64, (y / a) as u64);
        for j in (1..=ROUNDS).rev() {
            let m = self.modulus(j);
            let f = self.round(j, l, m);
            let prev = if r >= f { r - f } else { r + m - f };
            r = l;
            l = prev;
        }
        a * u128::from(r) + u128::from(l)
    }

    /// The image of `x` (which must be below [`Permutation::domain`]).
    pub fn permute(&self, x: u128) -> u128 {
        debug_assert!(x < self.domain);
        let mut y = self.encipher(x);
        // Cycle-walking: x's cycle under the network returns to x, which is inside the domain,
        // so the walk ends; it is at most a·b / domain steps on average.
        while y >= self.domain {
            y = self.encipher(y);
        }
        y
    }

    /// The `x` whose image is `y` (which must be below [`Permutation::domain`]).
    pub fn invert(&self, y: u128) -> u128 {
        debug_assert!(y < self.domain);
        let mut x = self.decipher(y);
        while x >= self.domain {
            x = self.decipher(x);
        }
        x
    }

    /// Whether one pass of the network can leave the domain (then `permute` walks).
    pub fn walks(&self) -> bool {
        u128::from(self.a) * u128::from(self.b) > self.domain
    }
}

/// The serials of one keyed series: `len` characters of `[0-9A-Za-z]`, serial `seq` being the
/// base-62 rendering of `permute(seq)`.
#[derive(Debug, Clone)]
pub struct KeyedSerials {
    permutation: Permutation,
    len: usize,
    /// Digits in the low half (`⌈len/2⌉`).
    low_digits: usize,
    low_modulus: u64,
}

fn digit_of(c: u8) -> Option<u64> {
    match c {
        b'0'..=b'9' => Some(u64::from(c - b'0')),
        b'A'..=b'Z' => Some(u64::from(c - b'A') + 10),
        b'a'..=b'z' => Some(u64::from(c - b'a') + 36),
        _ => None,
    }
}

impl KeyedSerials {
    /// The series of serials of `len` characters (1–20) under `key`.
    pub fn new(key: &[u8; 32], len: usize) -> Result<KeyedSerials, Problems> {
        if !(1..=MAX_LEN).contains(&len) {
            return PatternError::BadLength { len }.fail();
        }
        let permutation = Permutation::of_strings(key, 62, len as u32)
            .expect("62^20 is within the permutation's limits");
        let low_digits = len.div_ceil(2);
        Ok(KeyedSerials {
            permutation,
            len,
            low_digits,
            low_modulus: 62u64.pow(low_digits as u32),
        })
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        false
    }

    /// How many serials the series has: `62^len`.
    pub fn capacity(&self) -> u128 {
        self.permutation.domain()
    }

    /// Whether sequence numbers `first .. first + count` all exist in the series.
    pub fn check_range(&self, first: u64, count: u64) -> Result<(), Problems> {
        if u128::from(first) + u128::from(count) <= self.capacity() {
            Ok(())
        } else {
            PatternError::SeqTooLarge {
                seq: first.saturating_add(count.saturating_sub(1)),
                digits: self.len,
            }
            .fail()
        }
    }

    /// Appends serial `seq` to `out`. `seq` must be below [`KeyedSerials::capacity`].
    pub fn render_into(&self, seq: u64, out: &mut String) {
        let y = self.permutation.permute(u128::from(seq));
        // y = a·R + L with a = 62^low_digits: R gives the leading digits, L the trailing ones.
        let a = u128::from(self.low_modulus);
        let (high, low) = ((y / a) as u64, (y % a) as u64);
        let mut buf = [0u8; MAX_LEN];
        let mut put = |mut v: u64, from: usize, to: usize| {
            for slot in buf[from..to].iter_mut().rev() {
                *slot = RANDOM_ALPHABET[(v % 62) as usize];
                v /= 62;
            }
        };
        put(high, 0, self.len - self.low_digits);
        put(low, self.len - self.low_digits, self.len);
        out.extend(buf[..self.len].iter().map(|&b| b as char));
    }

    /// Serial `seq`, or an error when the series has fewer serials.
    pub fn serial(&self, seq: u64) -> Result<String, Problems> {
        self.check_range(seq, 1)?;
        let mut out = String::with_capacity(self.len);
        self.render_into(seq, &mut out);
        Ok(out)
    }

    /// The sequence number of `serial`, if it has this series' length and alphabet.
    pub fn seq_of(&self, serial: &str) -> Option<u64> {
        if serial.len() != self.len {
            return None;
        }
        let mut y: u128 = 0;
        for c in serial.bytes() {
            y = y * 62 + u128::from(digit_of(c)?);
        }
        u64::try_from(self.permutation.invert(y)).ok()
    }
}

#[cfg(test)]
mod tests;
