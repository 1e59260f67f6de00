//! What the benchmarks share: this process's peak memory and CPU time, and the 一物一码 item
//! sheet the import benchmarks read. The `sheets` crate's import benchmark includes this module
//! too (`#[path]`), so both crates measure the same file. Each benchmark uses part of it.
#![allow(dead_code)]

pub mod item_sheet;

/// This process's peak resident memory (VmHWM) in KiB; 0 where `/proc` is not there.
pub fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// CPU seconds this process has used (all threads): `/proc/self/stat` utime + stime. Unlike wall
/// time it barely moves when other builds share the cores.
pub fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command (which may hold spaces) start after the last ')': "state" is
    // field 3, so utime (14) and stime (15) are 11 and 12 here.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}
