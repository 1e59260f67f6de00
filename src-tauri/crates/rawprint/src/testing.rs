//! A private CUPS for tests (this crate's and the app's): cupsd from Debian's `cups` run as root
//! in a temporary directory with its own socket, and an AppSocket (port 9100 style) network
//! label printer played by a TCP listener. Only with the `test-cups` feature or in this crate's
//! tests.

use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Cupsd {
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
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// A raw queue whose device is an AppSocket printer on 127.0.0.1:`port`.
    pub fn add_socket_queue(&self, name: &str, port: u16) {
        let status = Command::new("lpadmin")
            .args(["-h", &self.server(), "-p", name, "-E", "-v"])
            .arg(format!("socket://127.0.0.1:{port}"))
            .status()
            .expect("lpadmin");
        assert!(status.success(), "lpadmin made the raw queue");
        // cupsd answers "not running" for a moment while it writes the new printer out.
        let started = Instant::now();
        loop {
            let out = Command::new("lpstat")
                .args(["-h", &self.server(), "-e"])
                .output()
                .expect("lpstat");
            if String::from_utf8_lossy(&out.stdout)
                .lines()
                .any(|l| l.trim() == name)
            {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "the queue {name} never showed up"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn socket(&self) -> PathBuf {
        self.dir.path().join("cups.sock")
    }

    /// For `lp -h` and [`crate::Spooler::cups_server`].
    pub fn server(&self) -> String {
        self.socket().display().to_string()
    }
}

pub fn which(name: &str) -> bool {
    ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        .iter()
        .any(|d| Path::new(d).join(name).exists())
}

/// A private scheduler, or why there is none.
pub fn start_cupsd() -> Result<Cupsd, String> {
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
pub fn fake_network_printer() -> (u16, std::thread::JoinHandle<Vec<u8>>) {
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
