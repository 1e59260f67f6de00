//! The retention, due and overdue rules, as tables: backups made at these times (China time)
//! → which are kept.

use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use super::*;

/// An automatic backup made at `local` (China time), named as `App::auto_backup` names it.
fn auto(local: time::PrimitiveDateTime) -> Made {
    made(BackupKind::Automatic, "auto-", local)
}

fn made(kind: BackupKind, prefix: &str, local: time::PrimitiveDateTime) -> Made {
    let at = local.assume_offset(china()).to_offset(time::UtcOffset::UTC);
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]");
    Made {
        file_name: format!("{prefix}{}.sqlite3", at.format(&format).unwrap()),
        kind,
        at,
    }
}

/// One backup a day at 09:00 from `first` for `days` days.
fn daily(first: time::Date, days: i64) -> Vec<Made> {
    (0..days)
        .map(|i| auto((first + Duration::days(i)).with_hms(9, 0, 0).unwrap()))
        .collect()
}

fn kept(backups: &[Made]) -> Vec<String> {
    let gone = to_delete(backups);
    let mut kept: Vec<String> = backups
        .iter()
        .filter(|b| !gone.contains(&b.file_name))
        .map(|b| b.at.to_offset(china()).date().to_string())
        .collect();
    kept.sort();
    kept.dedup();
    kept
}

#[test]
fn retention_keeps_seven_days_and_four_weeks_of_automatic_backups() {
    // (what, backups, days whose backup is kept)
    let cases: Vec<(&str, Vec<Made>, Vec<&str>)> = vec![
        ("none", vec![], vec![]),
        (
            "three days: all kept",
            daily(time::macros::date!(2026 - 12 - 01), 3),
            vec!["2026-12-01", "2026-12-02", "2026-12-03"],
        ),
        (
            // 2026-11-01 (Sun) .. 2026-12-07 (Mon): the last 7 days, then the newest of each of
            // the 4 newest ISO weeks (weeks of 12-07, 11-30, 11-23, 11-16: their Sundays).
            "37 days in a row",
            daily(time::macros::date!(2026 - 11 - 01), 37),
            vec![
                "2026-11-22",
                "2026-11-29",
                "2026-12-01",
                "2026-12-02",
                "2026-12-03",
                "2026-12-04",
                "2026-12-05",
                "2026-12-06",
                "2026-12-07",
            ],
        ),
        (
            // The computer was off for a month: the days with a backup count, not the calendar.
            "a month's break keeps the last copies before it",
            [
                daily(time::macros::date!(2026 - 10 - 01), 10),
                daily(time::macros::date!(2026 - 11 - 20), 2),
            ]
            .concat(),
            vec![
                "2026-10-04",
                "2026-10-06",
                "2026-10-07",
                "2026-10-08",
                "2026-10-09",
                "2026-10-10",
                "2026-11-20",
                "2026-11-21",
            ],
        ),
    ];
    for (what, backups, want) in cases {
        assert_eq!(kept(&backups), want, "{what}");
    }
}

#[test]
fn of_several_backups_a_day_only_the_newest_stays_once_the_day_is_over() {
    let backups = vec![
        auto(datetime!(2026-12-07 08:00:00)),
        auto(datetime!(2026-12-07 09:00:00)),
        auto(datetime!(2026-12-07 17:30:00)),
        auto(datetime!(2026-12-06 23:59:59)),
    ];
    let gone = to_delete(&backups);
    assert_eq!(
        gone,
        vec![backups[1].file_name.clone(), backups[0].file_name.clone()]
    );
}

#[test]
fn days_are_counted_in_china_time() {
    // 2026-12-06 23:30 and 2026-12-07 00:30 in China are one UTC day but two China days.
    let backups = vec![
        auto(datetime!(2026-12-06 23:30:00)),
        auto(datetime!(2026-12-07 00:30:00)),
    ];
    assert!(to_delete(&backups).is_empty());
}

#[test]
fn manual_and_pre_change_backups_are_never_deleted() {
    let mut backups = daily(time::macros::date!(2026 - 01 - 01), 200);
    let old = datetime!(2025-06-01 10:00:00);
    backups.push(made(BackupKind::Manual, "tracedesk-", old));
    backups.push(made(
        BackupKind::PreMigration,
        "pre-migration-v1-to-v2-",
        old,
    ));
    backups.push(made(BackupKind::PreRestore, "pre-restore-", old));
    let gone = to_delete(&backups);
    assert_eq!(gone.len(), 200 - 10, "7 days and 3 more weeks stay");
    assert!(
        gone.iter().all(|name| name.starts_with(AUTO_PREFIX)),
        "{gone:?}"
    );
}

#[test]
fn kinds_are_read_from_the_file_name() {
    let cases = [
        ("auto-20261207T010000.sqlite3", BackupKind::Automatic),
        ("tracedesk-20261207T010000.sqlite3", BackupKind::Manual),
        (
            "pre-migration-v1-to-v9-20261207T010000.sqlite3",
            BackupKind::PreMigration,
        ),
        (
            "pre-restore-20261207T010000-2.sqlite3",
            BackupKind::PreRestore,
        ),
        ("copy of tracedesk.sqlite3", BackupKind::Other),
    ];
    for (name, kind) in cases {
        assert_eq!(BackupKind::of(name), kind, "{name}");
    }
}

#[test]
fn the_time_stamp_is_found_anywhere_in_the_name() {
    let cases = [
        (
            "auto-20261207T010203.sqlite3",
            Some(datetime!(2026-12-07 01:02:03 UTC)),
        ),
        (
            "pre-migration-v1-to-v9-20261207T010203-2.sqlite3",
            Some(datetime!(2026-12-07 01:02:03 UTC)),
        ),
        ("auto-20261307T010203.sqlite3", None),
        ("my backup.sqlite3", None),
        ("", None),
    ];
    for (name, at) in cases {
        assert_eq!(stamp_in_name(name), at, "{name}");
    }
}

#[test]
fn an_automatic_backup_is_due_once_a_china_day() {
    let now = datetime!(2026-12-07 10:00:00).assume_offset(china());
    // (what, backups, due)
    let cases: Vec<(&str, Vec<Made>, bool)> = vec![
        ("no backup at all", vec![], true),
        (
            "automatic backup yesterday",
            vec![auto(datetime!(2026-12-06 09:00:00))],
            true,
        ),
        (
            "automatic backup this morning",
            vec![auto(datetime!(2026-12-07 00:10:00))],
            false,
        ),
        (
            "manual backup today",
            vec![made(
                BackupKind::Manual,
                "tracedesk-",
                datetime!(2026-12-07 08:00:00),
            )],
            false,
        ),
        (
            "only a pre-restore copy today",
            vec![made(
                BackupKind::PreRestore,
                "pre-restore-",
                datetime!(2026-12-07 08:00:00),
            )],
            true,
        ),
    ];
    for (what, backups, due) in cases {
        assert_eq!(
            auto_backup_due(&backups, now.to_offset(time::UtcOffset::UTC)),
            due,
            "{what}"
        );
    }
}

#[test]
fn a_last_backup_older_than_two_days_is_overdue() {
    let now: OffsetDateTime = datetime!(2026-12-07 10:00:00 UTC);
    let cases = [
        (None, true),
        (Some(now - Duration::hours(1)), false),
        (Some(now - Duration::days(2)), false),
        (Some(now - Duration::days(2) - Duration::minutes(1)), true),
    ];
    for (last, want) in cases {
        assert_eq!(overdue(last, now), want, "{last:?}");
    }
}
