//! The Code 128 code-set planner: fewest symbol characters, FNC1 where it belongs.

use crate::code128::{CodeSet, Item, Op, plan};

fn items(text: &str) -> Vec<Item> {
    text.chars()
        .map(|c| match c {
            '^' => Item::Fnc1,
            c => Item::Char(c as u8),
        })
        .collect()
}

#[track_caller]
fn check(text: &str, expect_len: usize) -> Vec<Op> {
    let ops = plan(&items(text)).expect("plannable");
    assert_eq!(ops.len(), expect_len, "{text:?} planned as {ops:?}");
    ops
}

#[test]
fn an_even_digit_run_is_all_set_c() {
    let ops = check("0123456789", 6);
    assert_eq!(ops[0], Op::Start(CodeSet::C));
    assert!(ops[1..].iter().all(|op| matches!(op, Op::Pair(..))));
}

#[test]
fn gs1_data_starts_in_set_c_with_fnc1() {
    let ops = check("^0109520123456788", 10);
    assert_eq!(&ops[..2], &[Op::Start(CodeSet::C), Op::Fnc1]);
}

/// The items a plan encodes, to compare with the input.
fn unplan(ops: &[Op]) -> Vec<Item> {
    let mut out = Vec::new();
    for op in ops {
        match *op {
            Op::Start(_) | Op::Switch(_) => {}
            Op::Fnc1 => out.push(Item::Fnc1),
            Op::Char(c) => out.push(Item::Char(c)),
            Op::Pair(a, b) => out.extend([Item::Char(a), Item::Char(b)]),
        }
    }
    out
}

#[test]
fn every_plan_encodes_exactly_its_input() {
    for text in [
        "^21123^10L7",
        "^0109520123456788172612311",
        "^01095201234567881726123110ABC123^2112345XYZ",
        "1",
        "a1b22c333d4444e",
        "\t\n0000",
        "9^9^99^999",
    ] {
        let input = items(text);
        let ops = plan(&input).expect("plannable");
        assert_eq!(unplan(&ops), input, "{text:?} planned as {ops:?}");
    }
}

#[test]
fn odd_digits_cost_one_switch() {
    // Start C, 12, 34, Code B, 5 (or the mirror image): five symbol characters.
    check("12345", 5);
}

#[test]
fn short_digit_runs_stay_in_set_b() {
    // Switching into C for two digits and back costs more than it saves.
    check("A12B", 5);
    check("A1234B", 7);
    check("A123456B", 8);
}

#[test]
fn control_characters_use_set_a_and_lowercase_set_b() {
    let ops = check("a\tb", 6);
    assert!(ops.contains(&Op::Switch(CodeSet::A)) || ops[0] == Op::Start(CodeSet::A));
}

#[test]
fn non_encodable_bytes_have_no_plan() {
    assert_eq!(plan(&[Item::Char(0x80)]), None);
}
