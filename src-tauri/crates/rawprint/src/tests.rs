//! The CUPS path for real: a private CUPS scheduler (cupsd from Debian's `cups`, run as root in
//! a temporary directory with its own socket) with a raw queue whose device is an AppSocket
//! (port 9100 style) network printer played by a TCP listener in the test — the way networked
//! Zebra and TSC printers are attached. Without cupsd or root the test says so and skips.

use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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

struct Cupsd {
    child: Child,
    dir: tempfile::TempDir,
}

impl Drop for Cupsd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Cupsd {
    fn socket(&self) -> PathBuf {
        self.dir.path().join("cups.sock")
    }

    fn server(&self) -> String {
        self.socket().display().to_string()
    }
}

fn which(name: &str) -> bool {
    ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        .iter()
        .any(|d| Path::new(d).join(name).exists())
}

/// A private scheduler, or why there is none.
fn start_cupsd() -> Result<Cupsd, String> {
    for tool in ["cupsd", "lpadmin", "lp", "lpstat"] {
        if !which(tool) {
            return Err(format!(
                "{tool} is not installed (Debian: apt install cups)"
            ));
        }
    }
    let uid = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    if uid != "0" {
        return Err("cupsd must run as root".to_owned());
    }
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let d = dir.path();
    for sub in ["spool", "tmp", "cache", "state", "log", "conf"] {
        std::fs::create_dir_all(d.join(sub)).map_err(|e| e.to_string())?;
    }
    let sock = d.join("cups.sock");
    std::fs::write(
        d.join("conf/cupsd.conf"),
        format!(
            "Listen {}\nLogLevel info\nBrowsing No\nWebInterface No\nDefaultAuthType None\n\
             <Location />\n  Order allow,deny\n  Allow all\n</Location>\n\
             <Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n\
             <Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n",
            sock.display()
        ),
    )
    .map_err(|e| e.to_string())?;
    let p = |s: &str| d.join(s).display().to_string();
    std::fs::write(
        d.join("conf/cups-files.conf"),
        format!(
            "ServerRoot {}\nRequestRoot {}\nTempDir {}\nCacheDir {}\nStateDir {}\n\
             ErrorLog {}\nAccessLog {}\nPageLog {}\nSystemGroup root\n",
            p("conf"),
            p("spool"),
            p("tmp"),
            p("cache"),
            p("state"),
            p("log/error_log"),
            p("log/access_log"),
            p("log/page_log"),
        ),
    )
    .map_err(|e| e.to_string())?;
    let child = Command::new("cupsd")
        .arg("-f")
        .arg("-c")
        .arg(d.join("conf/cupsd.conf"))
        .arg("-s")
        .arg(d.join("conf/cups-files.conf"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cupsd: {e}"))?;
    let cupsd = Cupsd { child, dir };
    let started = Instant::now();
    while !sock.exists() {
        if started.elapsed() > Duration::from_secs(15) {
            return Err("cupsd did not open its socket in 15 s".to_owned());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(cupsd)
}

/// A network label printer on AppSocket: everything sent to the port, until the sender closes.
fn fake_network_printer() -> (u16, std::thread::JoinHandle<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    listener.set_nonblocking(true).expect("nonblocking");
    let handle = std::thread::spawn(move || {
        let started = Instant::now();
        loop {
            match listener.accept() {
                Ok((mut stream, _)) => {
                    stream.set_nonblocking(false).expect("blocking");
                    stream
                        .set_read_timeout(Some(Duration::from_secs(30)))
                        .expect("timeout");
                    let mut data = Vec::new();
                    stream.read_to_end(&mut data).expect("read job");
                    return data;
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    assert!(
                        started.elapsed() < Duration::from_secs(30),
                        "CUPS never connected to the printer"
                    );
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(e) => panic!("accept: {e}"),
            }
        }
    });
    (port, handle)
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
    let status = Command::new("lpadmin")
        .args(["-h", &cupsd.server(), "-p", "TSC-TE244", "-E", "-v"])
        .arg(format!("socket://127.0.0.1:{port}"))
        .status()
        .expect("lpadmin");
    assert!(status.success(), "lpadmin made the raw queue");
    assert_eq!(
        spooler.printers().expect("list"),
        vec!["TSC-TE244".to_owned()]
    );

    // A TSPL job with binary BITMAP data: every byte value, CR LF and NUL included, must arrive
    // unchanged (no filter, no driver).
    let mut job = b"SIZE 50 mm,30 mm\r\nGAP 2 mm,0 mm\r\nCLS\r\nBITMAP 0,0,32,8,0,".to_vec();
    job.extend((0..=255u8).collect::<Vec<_>>());
    job.extend_from_slice(b"\r\nPRINT 1,1\r\n");
    let file = cupsd.dir.path().join("labels.tspl");
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
