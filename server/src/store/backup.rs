//! Backups and restores of the database file (`innom backup`, `innom
//! restore`), and the lock that tells a restore a server is using the file.
//!
//! A backup is one consistent snapshot (`VACUUM INTO`), taken while the
//! server runs and phones sync: it holds every change committed before it
//! started. A restore checks the copy before it replaces anything, and gives
//! the restored log a new id, so that a phone which synced after the backup
//! was taken pushes what the restored server no longer has (`docs/SYNC.md`,
//! "A restored server").

use std::fmt;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, Instant};

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, SqliteConnection};

use super::database::{BUSY_TIMEOUT, MIGRATOR, OpenError};
use super::documents;

/// What a database file holds, as a backup or restore reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub documents: i64,
    pub changes: i64,
    pub users: i64,
    /// The newest change-log position.
    pub last_position: i64,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} documents, {} changes, {} users, last log position {}; integrity check ok",
            self.documents, self.changes, self.users, self.last_position
        )
    }
}

/// Why a backup or a restore did nothing. Each message names the file.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("there is no database at {}", path.display())]
    NoDatabase { path: PathBuf },
    #[error("{} already exists; a backup never overwrites a file", path.display())]
    Exists { path: PathBuf },
    #[error("{} fails SQLite's integrity check: {problems}", path.display())]
    Damaged { path: PathBuf, problems: String },
    #[error("{} is not an Innom database", path.display())]
    NotInnom { path: PathBuf },
    #[error(
        "{} comes from a newer version of Innom (schema migration {version}); restore it with that version",
        path.display()
    )]
    Newer { path: PathBuf, version: i64 },
    #[error("a running Innom server is using {}; stop it before restoring", path.display())]
    InUse { path: PathBuf },
    #[error(transparent)]
    Open(#[from] OpenError),
    // `error`, not `source`: the message says it once, and the chain
    // printed on the command line does not repeat it.
    #[error("{}: {error}", path.display())]
    Io { path: PathBuf, error: std::io::Error },
    #[error("{}: {error}", path.display())]
    Sql { path: PathBuf, error: sqlx::Error },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |error| BackupError::Io { path: path.to_owned(), error }
}

fn sql(path: &Path) -> impl FnOnce(sqlx::Error) -> BackupError + '_ {
    move |error| BackupError::Sql { path: path.to_owned(), error }
}

/// An exclusive lock on `<database>.lock`, held by a serving server for as
/// long as it runs, so that a restore (or a second server) cannot replace
/// the file under it. The operating system lets go if the process dies.
#[derive(Debug)]
pub struct DatabaseLock {
    _file: File,
}

impl DatabaseLock {
    /// Takes the lock of `database`, waiting up to `wait` for another
    /// holder (a server shutting down) to let go.
    pub async fn acquire(database: &Path, wait: Duration) -> Result<Self, BackupError> {
        let path = lock_path(database);
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder)
                .map_err(|source| OpenError::CreateFolder { path: folder.to_owned(), source })?;
        }
        let file = OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(io(&path))?;
        let started = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Self { _file: file }),
                Err(TryLockError::WouldBlock) if started.elapsed() < wait => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(TryLockError::WouldBlock) => return Err(BackupError::InUse { path: database.to_owned() }),
                Err(TryLockError::Error(error)) => return Err(BackupError::Io { path, error }),
            }
        }
    }
}

fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// `database` with `suffix` appended to its name (`-wal`, `-shm`).
fn sibling(database: &Path, suffix: &str) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

async fn connect(path: &Path, read_only: bool) -> Result<SqliteConnection, BackupError> {
    SqliteConnectOptions::from_str("sqlite:")
        .map_err(sql(path))?
        .filename(path)
        .read_only(read_only)
        .busy_timeout(BUSY_TIMEOUT)
        .connect()
        .await
        .map_err(sql(path))
}

/// Copies the database at `database` into a new file `to`, consistently,
/// while a server may be using it, and checks the copy.
pub async fn backup(database: &Path, to: &Path) -> Result<Summary, BackupError> {
    if !database.is_file() {
        return Err(BackupError::NoDatabase { path: database.to_owned() });
    }
    if to.exists() {
        return Err(BackupError::Exists { path: to.to_owned() });
    }
    if let Some(folder) = to.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(io(folder))?;
    }
    let mut conn = connect(database, false).await?;
    // One read transaction: every change committed before it, none after.
    sqlx::query("VACUUM INTO ?")
        .bind(to.to_string_lossy().into_owned())
        .execute(&mut conn)
        .await
        .map_err(sql(database))?;
    conn.close().await.map_err(sql(database))?;
    File::open(to).and_then(|f| f.sync_all()).map_err(io(to))?;
    check(to).await
}

/// Checks that `path` is a sound Innom database this version can open, and
/// says what it holds.
pub async fn check(path: &Path) -> Result<Summary, BackupError> {
    if !path.is_file() {
        return Err(BackupError::NoDatabase { path: path.to_owned() });
    }
    let mut conn = match connect(path, true).await {
        Err(BackupError::Sql { error: sqlx::Error::Database(e), .. }) if e.code().as_deref() == Some("26") => {
            return Err(BackupError::NotInnom { path: path.to_owned() });
        }
        other => other?,
    };
    let problems: Vec<String> = match sqlx::query_scalar("PRAGMA integrity_check").fetch_all(&mut conn).await {
        Ok(rows) => rows,
        // SQLITE_NOTADB and SQLITE_CORRUPT: not a database, or a damaged one.
        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("26") => {
            return Err(BackupError::NotInnom { path: path.to_owned() });
        }
        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("11") => {
            return Err(BackupError::Damaged { path: path.to_owned(), problems: e.message().to_owned() });
        }
        Err(error) => return Err(BackupError::Sql { path: path.to_owned(), error }),
    };
    if problems != ["ok"] {
        return Err(BackupError::Damaged { path: path.to_owned(), problems: problems.join("; ") });
    }
    let newest: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
        .fetch_one(&mut conn)
        .await
        .map_err(|_| BackupError::NotInnom { path: path.to_owned() })?;
    let known = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
    match newest {
        None => return Err(BackupError::NotInnom { path: path.to_owned() }),
        Some(version) if version > known => return Err(BackupError::Newer { path: path.to_owned(), version }),
        Some(_) => {}
    }
    let count = |table: &str| format!("SELECT COUNT(*) FROM {table}");
    let documents: i64 = sqlx::query_scalar(&count("documents")).fetch_one(&mut conn).await.map_err(sql(path))?;
    let changes: i64 = sqlx::query_scalar(&count("changes")).fetch_one(&mut conn).await.map_err(sql(path))?;
    let users: i64 = sqlx::query_scalar(&count("users")).fetch_one(&mut conn).await.map_err(sql(path))?;
    let last_position = documents::last_seq(&mut conn)
        .await
        .map_err(|e| BackupError::Io { path: path.to_owned(), error: std::io::Error::other(e.to_string()) })?;
    conn.close().await.map_err(sql(path))?;
    Ok(Summary { documents, changes, users, last_position })
}

/// Replaces the database at `database` with the backup `from`. Refuses
/// while a server holds the database; checks the backup first, and makes
/// the new file beside the old one, so a failure leaves the old one as it
/// was. The restored log gets a new id (see the module's description).
pub async fn restore(from: &Path, database: &Path) -> Result<Summary, BackupError> {
    // A server that was just stopped lets go within moments.
    let _lock = DatabaseLock::acquire(database, Duration::from_secs(3)).await?;
    check(from).await?;
    let staged = sibling(database, ".restoring");
    // Left over from a restore that failed part way, they would be
    // applied to the fresh copy.
    for leftover in [staged.clone(), sibling(&staged, "-wal"), sibling(&staged, "-shm")] {
        let _ = std::fs::remove_file(leftover);
    }
    std::fs::copy(from, &staged).map_err(io(&staged))?;
    // One connection, the only one: the copy is kept in rollback-journal
    // mode while it is migrated to this version and given its new log id,
    // so everything is in the file itself and it moves as one file (the
    // server turns WAL on again when it opens it).
    let mut conn = connect(&staged, false).await?;
    sqlx::query("PRAGMA journal_mode = DELETE").execute(&mut conn).await.map_err(sql(&staged))?;
    MIGRATOR.run(&mut conn).await.map_err(|e| BackupError::Io {
        path: staged.clone(),
        error: std::io::Error::other(format!("cannot migrate the copy: {e}")),
    })?;
    documents::new_log_id(&mut conn)
        .await
        .map_err(|e| BackupError::Io { path: staged.clone(), error: std::io::Error::other(e.to_string()) })?;
    conn.close().await.map_err(sql(&staged))?;
    File::open(&staged).and_then(|f| f.sync_all()).map_err(io(&staged))?;
    // The old file's WAL belongs to the old file: left beside the new
    // one, SQLite would apply it to it.
    for suffix in ["-wal", "-shm"] {
        let stale = sibling(database, suffix);
        match std::fs::remove_file(&stale) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(BackupError::Io { path: stale, error: e });
            }
            _ => {}
        }
    }
    std::fs::rename(&staged, database).map_err(io(database))?;
    if let Some(folder) = database.parent().filter(|p| !p.as_os_str().is_empty()) {
        File::open(folder).and_then(|f| f.sync_all()).map_err(io(folder))?;
    }
    check(database).await
}
