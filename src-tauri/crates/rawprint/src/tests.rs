//! The CUPS path for real: a private CUPS scheduler (cupsd from Debian's `cups`, run as root in
//! a temporary directory with its own socket) with a raw queue whose device is an AppSocket
//! (port 9100 style) network printer played by a TCP listener in the test — the way networked
//! Zebra and TSC printers are attached. Without cupsd or root the test says so and skips.

use std::path::Path;

use super::testing::{fake_network_printer, start_cupsd, which};
use super::*;

#[test]
fn lp_is_asked_for_raw_only_for_printer_language_jobs() {
    let path = Path::new("/tmp/labels.zpl");
    for (raw, expected) in [
        (true, "lp -d zebra -o raw -t labels.zpl -- /tmp/labels.zpl"),
        (false, "lp -d zebra -t labels.zpl -- /tmp/labels.zpl"),
    ] {
        assert_eq!(
            lp_command("zebra", path, "labels.zpl", raw).join(" "),
            expected
        );
    }
}

#[test]
fn every_error_names_the_printer_and_the_fix_in_both_languages() {
    let cases = [
        PrintError::CupsMissing { command: "lp" },
        PrintError::SchedulerDown { detail: "x".into() },
        PrintError::UnknownQueue {
            queue: "TSC-TE244".into(),
            known: "zebra".into(),
        },
    ];
    for (error, zh, en) in [
        (&cases[0], "sudo apt install cups", "sudo apt install cups"),
        (&cases[1], "systemctl start cups", "systemctl start cups"),
        (&cases[2], "TSC-TE244", "TSC-TE244"),
    ] {
        assert!(error.message_zh().contains(zh), "{}", error.message_zh());
        assert!(error.to_string().contains(en), "{error}");
    }
}

#[test]
fn a_raw_job_reaches_a_network_label_printer_byte_for_byte_through_a_real_cups() {
    let cupsd = match start_cupsd() {
        Ok(c) => c,
        Err(why) => {
            println!("SKIPPED the real CUPS test: {why}");
            return;
        }
    };
    let spooler = Spooler::cups_server(cupsd.server());
    assert_eq!(
        spooler.printers().expect("empty list"),
        Vec::<String>::new()
    );

    let (port, printer) = fake_network_printer();
    cupsd.add_socket_queue("TSC-TE244", port);
    assert_eq!(
        spooler.printers().expect("list"),
        vec!["TSC-TE244".to_owned()]
    );

    // A TSPL job with binary BITMAP data: every byte value, CR LF and NUL included, must arrive
    // unchanged (no filter, no driver).
    let mut job = b"SIZE 50 mm,30 mm\r\nGAP 2 mm,0 mm\r\nCLS\r\nBITMAP 0,0,32,8,0,".to_vec();
    job.extend((0..=255u8).collect::<Vec<_>>());
    job.extend_from_slice(b"\r\nPRINT 1,1\r\n");
    let file = cupsd.dir().join("labels.tspl");
    std::fs::write(&file, &job).expect("job file");
    let reply = spooler
        .send("TSC-TE244", &file, "labels.tspl", true)
        .expect("queued");
    assert!(reply.contains("request id is TSC-TE244-"), "{reply}");
    let received = printer.join().expect("printer thread");
    assert_eq!(received, job, "the printer got the job byte for byte");

    let err = spooler
        .send("Zebra-ZD421", &file, "labels.tspl", true)
        .unwrap_err();
    match &err {
        PrintError::UnknownQueue { queue, known } => {
            assert_eq!(queue, "Zebra-ZD421");
            assert_eq!(known, "TSC-TE244");
        }
        other => panic!("{other:?}"),
    }
    assert!(err.message_zh().contains("Zebra-ZD421"));

    drop(cupsd);
}

#[test]
fn a_scheduler_that_is_not_there_is_reported_as_not_running() {
    if !which("lpstat") {
        println!("SKIPPED: lpstat is not installed (Debian: apt install cups-client)");
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let spooler = Spooler::cups_server(dir.path().join("no.sock").display().to_string());
    match spooler.printers() {
        Err(PrintError::SchedulerDown { .. }) => {}
        other => panic!("{other:?}"),
    }
}
