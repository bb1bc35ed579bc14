//! A real PostgreSQL server for the tests that run on it (`MARGINALIA_TEST_BACKEND=postgres`):
//! `initdb` into a temp dir, run as the `postgres` system user when the tests run as root,
//! on a free port on 127.0.0.1; one server per test process, one fresh database per TestApp.
//! The server dies with the test process (parent-death signal).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

/// Whether this test run uses PostgreSQL: the `postgres` test target (the integration suite
/// compiled a second time), or any run with `MARGINALIA_TEST_BACKEND=postgres`.
pub fn selected() -> bool {
    env!("CARGO_CRATE_NAME") == "postgres"
        || std::env::var("MARGINALIA_TEST_BACKEND").is_ok_and(|b| b == "postgres")
}

pub struct PgServer {
    pub port: u16,
    pub data_dir: PathBuf,
    bin_dir: PathBuf,
    run_as: Option<(u32, u32)>,
    socket_dir: PathBuf,
}

static SERVER: OnceLock<PgServer> = OnceLock::new();
static DATABASES: AtomicU32 = AtomicU32::new(0);
static SERVERS: AtomicU32 = AtomicU32::new(0);

/// The URL of a new, empty database on the shared server.
pub fn fresh_database() -> String {
    SERVER.get_or_init(PgServer::start).create_database()
}

/// The shared server (started if needed).
pub fn server() -> &'static PgServer {
    SERVER.get_or_init(PgServer::start)
}

impl PgServer {
    /// A server of the caller's own (to stop and start under a running site).
    pub fn own() -> PgServer {
        PgServer::start()
    }

    /// A new, empty database on this server; its URL.
    pub fn create_database(&self) -> String {
        let name = format!("t{}_{}", std::process::id(), DATABASES.fetch_add(1, Ordering::Relaxed));
        let mut admin = self.connect("postgres");
        admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        self.url(&name)
    }

    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    fn connect(&self, database: &str) -> PgConnection {
        PgConnection::establish(&self.url(database)).unwrap()
    }

    fn start() -> PgServer {
        let bin_dir = bin_dir();
        remove_abandoned_servers();
        let root = std::env::temp_dir().join(format!(
            "{ROOT_PREFIX}{}-{}",
            std::process::id(),
            SERVERS.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        // initdb and postgres refuse to run as root.
        let run_as = if effective_uid() == 0 { Some(postgres_user()) } else { None };
        if let Some((uid, gid)) = run_as {
            std::os::unix::fs::chown(&root, Some(uid), Some(gid)).unwrap();
        }
        let data_dir = root.join("data");
        let port = free_port();
        let server = PgServer { port, data_dir, bin_dir, run_as, socket_dir: root };
        let status = server
            .command("initdb")
            .args(["-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C", "-D"])
            .arg(&server.data_dir)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "initdb failed");
        server.run();
        server
    }

    /// Starts the server process (from a thread that lives as long as the test process: the
    /// parent-death signal follows the thread that started the child).
    pub fn run(&self) {
        let mut command = self.command("postgres");
        command
            .arg("-D")
            .arg(&self.data_dir)
            .args(["-p", &self.port.to_string(), "-k"])
            .arg(&self.socket_dir)
            .args(["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=400"])
            // Throwaway data: no durability needed, and CI disks are slow.
            .args(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(self.socket_dir.join("server.log")).unwrap());
        let (started, started_child) = std::sync::mpsc::channel::<Child>();
        std::thread::spawn(move || {
            let child = command.spawn().unwrap();
            started.send(child).unwrap();
            loop {
                std::thread::park();
            }
        });
        let mut child = started_child.recv().unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        while PgConnection::establish(&self.url("postgres")).is_err() {
            if let Ok(Some(status)) = child.try_wait() {
                panic!("postgres exited at start: {status}");
            }
            assert!(Instant::now() < deadline, "postgres did not start on port {}", self.port);
            std::thread::sleep(Duration::from_millis(50));
        }
        std::mem::forget(child);
    }

    /// Stops the server (fast shutdown) and waits until it has.
    pub fn stop(&self) {
        let status = self
            .command("pg_ctl")
            .arg("-D")
            .arg(&self.data_dir)
            .args(["-m", "fast", "-w", "stop"])
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "pg_ctl stop failed");
    }

    /// A PostgreSQL program, as the postgres user when we are root; killed if we die.
    fn command(&self, program: &str) -> Command {
        let program = self.bin_dir.join(program);
        match self.run_as {
            Some((uid, gid)) => {
                let mut command = Command::new("setpriv");
                command
                    .args(["--reuid", &uid.to_string(), "--regid", &gid.to_string(), "--clear-groups"])
                    .args(["--pdeathsig", "KILL"])
                    .arg(program);
                command
            }
            None => {
                let mut command = Command::new("setpriv");
                command.args(["--pdeathsig", "KILL"]).arg(program);
                command
            }
        }
    }
}

const ROOT_PREFIX: &str = "marginalia-pg-";

/// Data directories of earlier test processes that have ended (theirs died with them).
fn remove_abandoned_servers() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix(ROOT_PREFIX).and_then(|rest| rest.split('-').next()) else {
            continue;
        };
        if !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

impl Drop for PgServer {
    /// A server of a test's own (`own`) stops with it; the shared one lives in a static and
    /// dies with the process.
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(&self.data_dir)
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.socket_dir);
    }
}

/// Debian keeps the server programs out of PATH, under /usr/lib/postgresql/VERSION/bin.
fn bin_dir() -> PathBuf {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path().join("bin")).collect())
        .unwrap_or_default();
    versions.retain(|bin| bin.join("initdb").exists());
    versions.sort();
    versions.pop().unwrap_or_else(|| Path::new("/usr/bin").to_path_buf())
}

fn postgres_user() -> (u32, u32) {
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap();
    let line = passwd
        .lines()
        .find(|l| l.starts_with("postgres:"))
        .expect("a postgres system user (Debian's postgresql package makes one)");
    let fields: Vec<&str> = line.split(':').collect();
    (fields[2].parse().unwrap(), fields[3].parse().unwrap())
}

fn effective_uid() -> u32 {
    // The effective uid without a libc dependency: /proc/self/status "Uid: real effective ...".
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|ids| ids.split_whitespace().nth(1))
        .and_then(|id| id.parse().ok())
        .unwrap()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}
