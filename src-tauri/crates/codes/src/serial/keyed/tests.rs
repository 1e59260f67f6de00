//! The keyed permutation and keyed serials: bijection, determinism, key separation,
//! cycle-walking, and frozen known-answer vectors.

use std::collections::HashSet;

use super::*;

/// Key 00 01 02 … 1f.
fn key() -> [u8; 32] {
    std::array::from_fn(|i| i as u8)
}

/// Key ff fe fd … e0.
fn other_key() -> [u8; 32] {
    std::array::from_fn(|i| 0xff - i as u8)
}

#[test]
fn the_permutation_is_a_bijection_on_every_small_domain() {
    // Squares, products of halves, primes and just-past-a-product sizes: with and without walking.
    for domain in [
        1u128, 2, 3, 7, 10, 12, 61, 62, 97, 100, 1000, 3844, 4097, 10_007, 65_537,
    ] {
        let p = Permutation::new(&key(), domain).unwrap();
        let mut seen = vec![false; domain as usize];
        for x in 0..domain {
            let y = p.permute(x);
            assert!(y < domain, "domain {domain}: {x} → {y} is outside");
            assert!(!seen[y as usize], "domain {domain}: {y} reached twice");
            seen[y as usize] = true;
            assert_eq!(p.invert(y), x, "domain {domain}: invert(permute({x}))");
        }
    }
}

#[test]
fn permutations_of_strings_are_bijections_on_small_alphabets() {
    for (radix, len) in [
        (2u32, 1u32),
        (2, 5),
        (3, 3),
        (10, 3),
        (10, 4),
        (62, 1),
        (62, 2),
        (7, 5),
    ] {
        let p = Permutation::of_strings(&key(), radix, len).unwrap();
        let domain = u128::from(radix).pow(len);
        assert_eq!(p.domain(), domain);
        assert!(
            !p.walks(),
            "radix {radix}^{len} is an exact product of its halves"
        );
        let images: HashSet<u128> = (0..domain).map(|x| p.permute(x)).collect();
        assert_eq!(images.len() as u128, domain, "radix {radix}^{len}");
        assert!(images.iter().all(|&y| y < domain));
    }
}

#[test]
fn cycle_walking_stays_inside_the_domain() {
    // Domains that are not a product of their halves: one pass of the network can land beyond
    // them, and permute must walk back inside.
    for domain in [3u128, 5, 10, 11, 101, 1001, 9_999] {
        let p = Permutation::new(&key(), domain).unwrap();
        assert!(p.walks(), "domain {domain} should need walking");
        let mut walked = 0;
        for x in 0..domain {
            if p.encipher(x) >= domain {
                walked += 1;
            }
            let y = p.permute(x);
            assert!(y < domain, "domain {domain}: {x} → {y}");
            assert_eq!(p.invert(y), x);
        }
        if domain >= 10 {
            assert!(walked > 0, "domain {domain}: some value should have walked");
        }
    }
}

#[test]
fn the_same_key_gives_the_same_order() {
    for domain in [10u128, 1000, 62u128.pow(12)] {
        let a = Permutation::new(&key(), domain).unwrap();
        let b = Permutation::new(&key(), domain).unwrap();
        for x in (0..1000u128).map(|i| i * domain / 1000) {
            assert_eq!(a.permute(x), b.permute(x), "domain {domain}, x {x}");
        }
    }
    let a = KeyedSerials::new(&key(), 12).unwrap();
    let b = KeyedSerials::new(&key(), 12).unwrap();
    for seq in 0..1000 {
        assert_eq!(a.serial(seq).unwrap(), b.serial(seq).unwrap());
    }
}

#[test]
fn distinct_keys_give_distinct_orders() {
    for domain in [100u128, 10_000, 62u128.pow(8)] {
        let a = Permutation::new(&key(), domain).unwrap();
        let b = Permutation::new(&other_key(), domain).unwrap();
        let n = 1000u128.min(domain);
        let same = (0..n).filter(|&x| a.permute(x) == b.permute(x)).count() as u128;
        // Two independent permutations agree on about one value in `domain`.
        assert!(same * 20 < n, "domain {domain}: {same} of {n} agree");
    }
    // One key over two domains gives unrelated permutations too.
    let a = Permutation::new(&key(), 1000).unwrap();
    let b = Permutation::new(&key(), 1001).unwrap();
    assert!((0..1000).filter(|&x| a.permute(x) == b.permute(x)).count() < 50);
}

#[test]
fn consecutive_sequence_numbers_do_not_give_neighbouring_serials() {
    let s = KeyedSerials::new(&key(), 12).unwrap();
    let serials: Vec<String> = (0..1000).map(|n| s.serial(n).unwrap()).collect();
    // No shared leading half between consecutive serials beyond chance (62^-6).
    let shared = serials
        .windows(2)
        .filter(|w| w[0][..6] == w[1][..6] || w[0][6..] == w[1][6..])
        .count();
    assert_eq!(shared, 0, "{:?}", &serials[..4]);
    // Every character position uses most of the alphabet.
    for pos in 0..12 {
        let used: HashSet<u8> = serials.iter().map(|s| s.as_bytes()[pos]).collect();
        assert!(
            used.len() > 50,
            "position {pos} uses {} characters",
            used.len()
        );
    }
}

#[test]
fn keyed_serials_have_their_length_and_alphabet_and_read_back() {
    for len in [1usize, 2, 7, 8, 9, 12, 13, 16, 20] {
        let s = KeyedSerials::new(&key(), len).unwrap();
        let mut seen = HashSet::new();
        let count = 2000u64.min(62u64.pow(len.min(10) as u32));
        for seq in 0..count {
            let serial = s.serial(seq).unwrap();
            assert_eq!(serial.len(), len, "{serial}");
            assert!(
                serial.bytes().all(|c| c.is_ascii_alphanumeric()),
                "{serial}"
            );
            assert!(seen.insert(serial.clone()), "len {len}: {serial} twice");
            assert_eq!(s.seq_of(&serial), Some(seq), "len {len}: {serial}");
        }
    }
}

#[test]
fn sequence_numbers_beyond_the_series_are_refused() {
    let cases: &[(usize, u64, Result<(), String>)] = &[
        (1, 61, Ok(())),
        (1, 62, Err("serial.exhausted".into())),
        (2, 3843, Ok(())),
        (2, 3844, Err("serial.exhausted".into())),
        (12, u64::MAX - 1, Ok(())),
        (0, 0, Err("serial.length".into())),
        (21, 0, Err("serial.length".into())),
    ];
    for (len, seq, expect) in cases {
        let got = KeyedSerials::new(&key(), *len)
            .and_then(|s| s.serial(*seq))
            .map(|_| ())
            .map_err(|p| p.0[0].code.clone());
        assert_eq!(got, *expect, "len {len} seq {seq}");
    }
    let s = KeyedSerials::new(&key(), 2).unwrap();
    assert!(s.check_range(3800, 44).is_ok());
    assert!(s.check_range(3800, 45).is_err());
    assert!(s.check_range(u64::MAX, 2).is_err());
}

#[test]
fn strings_that_are_not_serials_of_the_series_have_no_sequence_number() {
    let s = KeyedSerials::new(&key(), 8).unwrap();
    for text in ["", "abc", "abcdefghi", "abcd-fgh", "abcdéfg", "abcd efg"] {
        assert_eq!(s.seq_of(text), None, "{text:?}");
    }
    // Every 8-character alphanumeric string is some serial of the series (a bijection).
    assert!(s.seq_of("zzzzzzzz").is_some());
    assert!(s.seq_of("00000000").is_some());
}

#[test]
fn invalid_domains_are_refused() {
    assert_eq!(
        Permutation::new(&key(), 0).unwrap_err(),
        PermutationError::EmptyDomain
    );
    assert_eq!(
        Permutation::new(&key(), u128::MAX).unwrap_err(),
        PermutationError::DomainTooLarge
    );
    assert_eq!(
        Permutation::of_strings(&key(), 62, 22).unwrap_err(),
        PermutationError::DomainTooLarge
    );
    assert!(Permutation::of_strings(&key(), 62, 20).is_ok());
}

/// Frozen outputs: a change to the construction changes every issued serial of every database,
/// so these must never change.
#[test]
fn known_answer_vectors() {
    let permutations: &[(u128, u128, u128)] = &[
        // (domain, x, permute(x)) under key 00…1f
        (10, 0, 1),
        (10, 9, 0),
        (1000, 1, 312),
        (3844, 3843, 675),
        (1 << 64, 123_456_789, 6_093_337_354_278_434_208),
        (62u128.pow(12), 0, 381_653_773_269_981_653_188),
        (
            62u128.pow(20),
            62u128.pow(20) - 1,
            236_542_102_922_966_325_662_841_371_481_016_637,
        ),
    ];
    for &(domain, x, y) in permutations {
        let p = Permutation::new(&key(), domain).unwrap();
        assert_eq!(p.permute(x), y, "domain {domain}, x {x}");
        assert_eq!(p.invert(y), x);
    }
    let serials: &[(usize, u64, &str, &str)] = &[
        // (len, seq, serial under key 00…1f, serial under key ff…e0)
        (8, 0, "qDuUoGtm", "Ix3EaIbJ"),
        (8, 1, "xZpVXOeJ", "7C8eEFaF"),
        (9, 1_000_000, "wTmoQ9jjo", "rOCWXq2q8"),
        (12, 0, "7KjCKUwVu15Q", "7vDBGMBzKzCG"),
        (12, 1, "TldvJ5ruhskC", "wlNZ0SeJXbN5"),
        (12, 2, "SWq7HfuYUPEs", "ecxQxdE92lXp"),
        (12, 999_999, "TDZno3XGkQno", "ix1GSGdUthVw"),
        (16, 42, "JXgfnyKNwws1NFIw", "ibEhlYJ6aD5DbzQ9"),
        (20, u64::MAX, "VsBKe02KB9InSUZSijsO", "JrYwqugRgovtyFynOC2X"),
    ];
    for &(len, seq, mine, theirs) in serials {
        assert_eq!(
            KeyedSerials::new(&key(), len).unwrap().serial(seq).unwrap(),
            mine
        );
        assert_eq!(
            KeyedSerials::new(&other_key(), len)
                .unwrap()
                .serial(seq)
                .unwrap(),
            theirs
        );
    }
}
