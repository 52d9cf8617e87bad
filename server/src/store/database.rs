//! Opening the SQLite file: pragmas that make acknowledged writes durable,
//! embedded migrations, and refusing files that are not ours.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::migrate::{MigrateError, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

/// The migrations in `server/migrations`, compiled into the binary.
pub(super) static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// How long a connection waits for another writer before giving up, in ms.
pub const BUSY_TIMEOUT_MS: u64 = 5_000;

/// [`BUSY_TIMEOUT_MS`] as a duration.
pub const BUSY_TIMEOUT: Duration = Duration::from_millis(BUSY_TIMEOUT_MS);

/// Starts a transaction that writes: `BEGIN IMMEDIATE` takes the write lock
/// at once, waiting up to [`BUSY_TIMEOUT`] for another writer. A plain
/// (deferred) `BEGIN` that reads before it writes fails at once with
/// "database is locked" when another connection commits in between, because
/// SQLite cannot move its read snapshot forward inside the transaction.
pub const BEGIN_WRITE: &str = "BEGIN IMMEDIATE";

/// A pool of connections to the Innom database.
pub type Db = SqlitePool;

/// Why the database could not be opened. Each message names the file and
/// says what to do; none of these cases changes the file.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("cannot create the data folder {}: {source}", path.display())]
    CreateFolder { path: PathBuf, source: std::io::Error },
    #[error("cannot open the database {}: {source}", path.display())]
    Open { path: PathBuf, source: sqlx::Error },
    #[error("{} is not an Innom database (not an SQLite file); refusing to touch it", path.display())]
    NotSqlite { path: PathBuf },
    #[error(
        "the database {} was written by a newer version of Innom (it has schema migration {version}, \
         which this version does not know); refusing to start. Upgrade Innom or use another file",
        path.display()
    )]
    NewerSchema { path: PathBuf, version: i64 },
    #[error("cannot migrate the database {}: {source}", path.display())]
    Migrate { path: PathBuf, source: MigrateError },
}

/// Opens (creating if missing) and migrates the database at `path`.
///
/// Every pooled connection runs in WAL mode with `synchronous=FULL`, so a
/// change the server has acknowledged survives a power cut, and waits up to
/// [`BUSY_TIMEOUT`] for a concurrent writer.
pub async fn open(path: &Path) -> Result<Db, OpenError> {
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)
            .map_err(|source| OpenError::CreateFolder { path: folder.to_owned(), source })?;
    }
    let options = SqliteConnectOptions::from_str("sqlite:")
        .map_err(|source| OpenError::Open { path: path.to_owned(), source })?
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(BUSY_TIMEOUT)
        .foreign_keys(true)
        // Deleted rows are overwritten with zeros, so an erased person's
        // data does not linger in free pages of the file.
        .pragma("secure_delete", "ON");
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        // Keep one connection open so the WAL file is not reset between requests.
        .min_connections(1)
        // A local file does not drop connections; testing each one before
        // use would add a round trip to the connection's thread per query.
        .test_before_acquire(false)
        .connect_with(options)
        .await
        .map_err(|source| classify_open_error(path, source))?;
    migrate(&pool, path).await?;
    Ok(pool)
}

async fn migrate(pool: &Db, path: &Path) -> Result<(), OpenError> {
    // The migrator checks the applied versions against the known ones before
    // it applies anything, so a newer database is refused untouched.
    MIGRATOR.run(pool).await.map_err(|source| match source {
        MigrateError::VersionMissing(version) => OpenError::NewerSchema { path: path.to_owned(), version },
        MigrateError::Execute(sqlx::Error::Database(ref e)) if e.code().as_deref() == Some("26") => {
            OpenError::NotSqlite { path: path.to_owned() }
        }
        source => OpenError::Migrate { path: path.to_owned(), source },
    })
}

fn classify_open_error(path: &Path, source: sqlx::Error) -> OpenError {
    // SQLITE_NOTADB (26): the file exists but is not an SQLite database.
    let not_a_database = matches!(&source, sqlx::Error::Database(e) if e.code().as_deref() == Some("26"));
    if not_a_database {
        OpenError::NotSqlite { path: path.to_owned() }
    } else {
        OpenError::Open { path: path.to_owned(), source }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use sqlx::Connection;

    use super::*;

    /// A write transaction that reads first is not failed by a writer that
    /// comes in between: the other writer waits instead. (With a deferred
    /// `BEGIN` the other writer commits first and this one's write fails
    /// with "database is locked".)
    #[tokio::test]
    async fn a_write_transaction_that_reads_first_holds_off_other_writers() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = open(&dir.path().join("innom.sqlite")).await.expect("open");
        sqlx::query("CREATE TABLE counter (n INTEGER)").execute(&db).await.expect("table");
        sqlx::query("INSERT INTO counter VALUES (0)").execute(&db).await.expect("row");

        let mut conn = db.acquire().await.expect("connection");
        let mut tx = conn.begin_with(BEGIN_WRITE).await.expect("begin");
        let n: i64 = sqlx::query_scalar("SELECT n FROM counter").fetch_one(&mut *tx).await.expect("read");
        let other = tokio::spawn({
            let db = db.clone();
            async move { sqlx::query("UPDATE counter SET n = n + 10").execute(&db).await }
        });
        tokio::time::sleep(Duration::from_millis(200)).await;
        sqlx::query("UPDATE counter SET n = ?").bind(n + 1).execute(&mut *tx).await.expect("write after a read");
        tx.commit().await.expect("commit");
        other.await.expect("task").expect("the other writer waited, then wrote");
        let n: i64 = sqlx::query_scalar("SELECT n FROM counter").fetch_one(&db).await.expect("read");
        assert_eq!(n, 11, "both writes kept, in order");
    }
}
