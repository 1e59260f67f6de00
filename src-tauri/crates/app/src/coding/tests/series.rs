//! Serial series, pure: patterns rendered and read back, and series that could share a serial.

use super::*;

#[test]
fn sequential_series_render_and_read_back_their_serials() {
    let date = Some(ymd(2025, 7, 15));
    for (pattern, seq, serial) in [
        ("{seq:08}", 1, "00000001"),
        ("{seq:08}", 99_999_999, "99999999"),
        ("SN{seq:06}", 42, "SN000042"),
        ("A{yyMMdd}-{seq}", 7, "A250715-7"),
        ("A{yyMMdd}-{seq}", 1234, "A250715-1234"),
        ("{seq}{dd}", 31, "3115"),
        ("{seq:20}", u64::MAX, "18446744073709551615"),
        ("B{yyyyMMdd}", 0, "B20250715"),
    ] {
        let series = SeqSeries::new(pattern, date).unwrap();
        assert_eq!(series.render(seq), serial, "{pattern} #{seq}");
        assert_eq!(
            series.render(seq),
            series.pattern().render(date, seq).unwrap(),
            "the fast path renders what codes::serial renders: {pattern} #{seq}"
        );
        assert_eq!(
            series.seq_of(serial),
            Some(seq),
            "{pattern} reads {serial} back"
        );
        let stored = SeqSeries::from_stored(pattern, &series.fixed()).unwrap();
        assert_eq!(stored, series, "a stored series is the same series");
    }
    let series = SeqSeries::new("A{yyMMdd}-{seq}", date).unwrap();
    for not_ours in [
        "A250716-7",
        "A250715-07",
        "A250715-",
        "B250715-7",
        "A250715-x",
    ] {
        assert_eq!(series.seq_of(not_ours), None, "{not_ours}");
    }
    let padded = SeqSeries::new("{seq:04}", None).unwrap();
    assert!(padded.check_range(1, 9_999).is_ok());
    let err = padded.check_range(1, 10_000).unwrap_err();
    assert_eq!(err.codes(), ["serial.exhausted"]);
    assert!(
        SeqSeries::new("B{yyyyMMdd}", date)
            .unwrap()
            .check_range(0, 2)
            .is_err()
    );
}

#[test]
fn series_that_could_share_a_serial_are_detected() {
    let d1 = Some(ymd(2025, 7, 15));
    let d2 = Some(ymd(2025, 7, 16));
    let shapes = |p: &str, d| SeqSeries::new(p, d).unwrap().shapes();
    let cases = [
        (shapes("{seq:08}", d1), shapes("A{seq:07}", d1), false),
        (shapes("{seq:08}", d1), shapes("1{seq:07}", d1), true),
        (shapes("{seq:08}", d1), shapes("{seq:09}", d1), false),
        (shapes("{seq}", d1), shapes("{seq:05}", d1), true),
        (
            shapes("{yyMMdd}{seq:04}", d1),
            shapes("{yyMMdd}{seq:04}", d2),
            false,
        ),
        (shapes("{yyMMdd}{seq:04}", d1), shapes("{seq:10}", d1), true),
        (shapes("{seq:08}", d1), random_shapes(12), false),
        (shapes("{seq:08}", d1), random_shapes(8), true),
        (shapes("A-{seq:06}", d1), random_shapes(8), false),
        (random_shapes(12), random_shapes(16), false),
    ];
    for (n, (a, b, expected)) in cases.iter().enumerate() {
        assert_eq!(may_overlap(a, b), *expected, "case {n}");
        assert_eq!(may_overlap(b, a), *expected, "case {n}, swapped");
    }
}
