//! The `teams`, `team_members` and `participant_teams` tables: who works
//! in which team, and which team each participant belongs to, with their
//! responsible advisor.

use std::collections::{BTreeSet, HashMap};

use innom_shared::access::Scope;
use innom_shared::access::teams::{Concerns, Directory};
use innom_shared::api::{Role, TeamSummary};
use innom_shared::values::DocId;
use sqlx::{Sqlite, SqliteConnection, Transaction};

use super::documents::doc_id;
use super::{BEGIN_WRITE, Db, now_millis};

/// Why a team could not be made.
#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    #[error("a team named {0:?} already exists")]
    Exists(String),
    #[error("a team needs a name of 1 to 100 characters")]
    BadName,
    #[error("no team named {0:?}; the teams are: {1}")]
    Unknown(String, String),
    #[error("no team with id {0}")]
    UnknownId(i64),
    #[error("there are several teams; name the advisor's team(s): {0}")]
    AdvisorWithoutTeam(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Which teams a new account is put in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Membership {
    /// The only team, when there is just one. Staff see every team.
    #[default]
    Default,
    /// These teams. Staff named to teams see only those.
    Teams(Vec<i64>),
}

/// Makes a team; its name is unique, case-insensitively.
pub async fn add(db: &Db, name: &str) -> Result<TeamSummary, TeamError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(TeamError::BadName);
    }
    let now = now_millis();
    let inserted = sqlx::query!("INSERT INTO teams (name, created_at) VALUES (?, ?)", name, now).execute(db).await;
    match inserted {
        Ok(done) => Ok(TeamSummary {
            id: done.last_insert_rowid(),
            name: name.to_owned(),
            members: Vec::new(),
            participants: 0,
        }),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(TeamError::Exists(name.to_owned())),
        Err(e) => Err(e.into()),
    }
}

/// Every team, by name, with its members' usernames and how many
/// participants it holds.
pub async fn list(db: &Db) -> Result<Vec<TeamSummary>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT t.id AS "id!", t.name,
                  (SELECT json_group_array(u.username) FROM team_members m JOIN users u ON u.id = m.user_id
                    WHERE m.team_id = t.id ORDER BY u.username) AS "members!: String",
                  (SELECT COUNT(*) FROM participant_teams p WHERE p.team_id = t.id) AS "participants!: i64"
           FROM teams t ORDER BY t.name COLLATE NOCASE"#
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let mut members: Vec<String> = serde_json::from_str(&r.members).unwrap_or_default();
            members.sort_by_key(|m| m.to_lowercase());
            TeamSummary { id: r.id, name: r.name, members, participants: r.participants }
        })
        .collect())
}

/// The ids of the teams named, or which name is unknown.
pub async fn ids_by_name(db: &Db, names: &[String]) -> Result<Vec<i64>, TeamError> {
    let teams = list(db).await?;
    names
        .iter()
        .map(|name| {
            teams.iter().find(|t| t.name.eq_ignore_ascii_case(name.trim())).map(|t| t.id).ok_or_else(|| {
                TeamError::Unknown(name.clone(), teams.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join(", "))
            })
        })
        .collect()
}

/// The teams a user is a member of.
pub async fn of_user(db: &Db, user_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar!("SELECT team_id FROM team_members WHERE user_id = ? ORDER BY team_id", user_id)
        .fetch_all(db)
        .await
}

/// Puts a new account into its teams, in the transaction that adds it.
pub async fn join_new_account(
    tx: &mut Transaction<'_, Sqlite>,
    user_id: i64,
    role: Role,
    membership: &Membership,
) -> Result<(), TeamError> {
    let teams: Vec<(i64, String)> = sqlx::query!(r#"SELECT id AS "id!", name FROM teams ORDER BY name"#)
        .fetch_all(&mut **tx)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    let chosen = match membership {
        Membership::Teams(ids) if !ids.is_empty() => {
            if let Some(unknown) = ids.iter().find(|id| !teams.iter().any(|(t, _)| t == *id)) {
                return Err(TeamError::UnknownId(*unknown));
            }
            if role == Role::Staff {
                sqlx::query!("UPDATE users SET all_teams = 0 WHERE id = ?", user_id).execute(&mut **tx).await?;
            }
            ids.clone()
        }
        _ => match teams.as_slice() {
            [(only, _)] => vec![*only],
            _ if role == Role::Staff => Vec::new(),
            _ => {
                let names = teams.iter().map(|(_, name)| name.as_str()).collect::<Vec<_>>().join(", ");
                return Err(TeamError::AdvisorWithoutTeam(names));
            }
        },
    };
    set_members_in(tx, user_id, &chosen).await
}

/// Replaces a user's teams, and for staff whether they see every team.
pub async fn set_user_teams(db: &Db, user_id: i64, teams: &[i64], all_teams: bool) -> Result<(), TeamError> {
    let mut tx = db.begin_with(BEGIN_WRITE).await?;
    for id in teams {
        if sqlx::query_scalar!("SELECT id FROM teams WHERE id = ?", id).fetch_optional(&mut *tx).await?.is_none() {
            return Err(TeamError::UnknownId(*id));
        }
    }
    let all = i64::from(all_teams);
    sqlx::query!("UPDATE users SET all_teams = ? WHERE id = ?", all, user_id).execute(&mut *tx).await?;
    set_members_in(&mut tx, user_id, teams).await?;
    tx.commit().await?;
    Ok(())
}

/// Makes `teams` the user's teams, touching only the memberships that
/// change (each change makes the user's devices fetch their records anew).
async fn set_members_in(tx: &mut Transaction<'_, Sqlite>, user_id: i64, teams: &[i64]) -> Result<(), TeamError> {
    let keep = serde_json::to_string(teams).unwrap_or_else(|_| "[]".into());
    sqlx::query!(
        "DELETE FROM team_members WHERE user_id = ? AND team_id NOT IN (SELECT value FROM json_each(?))",
        user_id,
        keep
    )
    .execute(&mut **tx)
    .await?;
    for team in teams {
        sqlx::query!("INSERT OR IGNORE INTO team_members (team_id, user_id) VALUES (?, ?)", team, user_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Gives each new participant a team and a responsible advisor, in the
/// transaction that stores them: the team of the advisor who made the
/// record (the first of theirs), with them responsible; a participant made
/// by staff or the server goes to the first team, with no one responsible.
/// A participant that already has a team keeps it.
pub async fn place_new_participants(
    tx: &mut Transaction<'_, Sqlite>,
    participants: &[(Vec<u8>, Option<i64>)],
) -> Result<(), sqlx::Error> {
    let now = now_millis();
    for (participant, creator) in participants {
        sqlx::query!(
            "INSERT INTO participant_teams (participant, team_id, advisor_id, changed_at)
             SELECT ?1,
                    COALESCE((SELECT MIN(m.team_id) FROM team_members m WHERE m.user_id = ?2),
                             (SELECT MIN(id) FROM teams)),
                    (SELECT u.id FROM users u WHERE u.id = ?2 AND u.role = 'advisor'),
                    ?3
             WHERE EXISTS (SELECT 1 FROM teams)
             ON CONFLICT (participant) DO NOTHING",
            participant,
            creator,
            now
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A participant's team and responsible advisor's username.
pub async fn of_participant(db: &Db, participant: &[u8]) -> Result<Option<(i64, Option<String>)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT p.team_id, u.username AS "advisor?" FROM participant_teams p
           LEFT JOIN users u ON u.id = p.advisor_id WHERE p.participant = ?"#,
        participant
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.team_id, r.advisor)))
}

/// Moves a participant to another team and responsible advisor (`None`:
/// no one named).
pub async fn hand_over(db: &Db, participant: &[u8], team: i64, advisor: Option<i64>) -> Result<bool, TeamError> {
    let now = now_millis();
    let done = sqlx::query!(
        "UPDATE participant_teams SET team_id = ?, advisor_id = ?, changed_at = ? WHERE participant = ?",
        team,
        advisor,
        now,
        participant
    )
    .execute(db)
    .await;
    match done {
        Ok(done) => Ok(done.rows_affected() == 1),
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => Err(TeamError::UnknownId(team)),
        Err(e) => Err(e.into()),
    }
}

/// Who each of `docs` is for, as the view `document_teams` says: per
/// document, `None` for everyone, else its teams.
pub async fn audiences(
    conn: &mut SqliteConnection,
    docs: &[Vec<u8>],
) -> Result<HashMap<Vec<u8>, Option<BTreeSet<i64>>>, sqlx::Error> {
    let mut audiences = HashMap::new();
    for doc in docs {
        let rows = audience_rows(conn, doc).await?;
        let audience = if rows.contains(&None) { None } else { Some(rows.into_iter().flatten().collect()) };
        audiences.insert(doc.clone(), audience);
    }
    Ok(audiences)
}

/// One record's rows of `document_teams` (a team id each, `None` for
/// everyone). By `doc_id = ?`, which SQLite pushes into each of the view's
/// branches (it does not for a list), so it is a few index searches.
pub async fn audience_rows(conn: &mut SqliteConnection, doc: &[u8]) -> Result<Vec<Option<i64>>, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT team_id AS "team_id?: i64" FROM document_teams WHERE doc_id = ?"#, doc)
        .fetch_all(conn)
        .await
}

/// The bind value of an office query's need-to-know filter: the teams of
/// a scope limited to teams as a JSON array, `None` for every record. The
/// queries test it against the view `document_teams`, as a bootstrap does:
/// `(? IS NULL OR EXISTS (SELECT 1 FROM document_teams t WHERE t.doc_id = …
/// AND (t.team_id IS NULL OR t.team_id IN (SELECT value FROM json_each(?)))))`.
pub fn office_filter(scope: &Scope) -> Option<String> {
    match scope {
        Scope::Teams(teams) => Some(serde_json::to_string(teams).unwrap_or_else(|_| "[]".into())),
        Scope::All | Scope::MentorFeedback { .. } => None,
    }
}

/// Whether the session is to be sent its records anew, clearing the mark.
pub async fn take_rescope(db: &Db, session_id: i64) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query!("UPDATE sessions SET rescope = 0 WHERE id = ? AND rescope = 1", session_id).execute(db).await?;
    Ok(done.rows_affected() == 1)
}

/// Marks for a new bootstrap every live session of the members of `teams`
/// (records came to concern those teams, or stopped to).
pub async fn rescope_teams(conn: &mut SqliteConnection, teams: &BTreeSet<i64>) -> Result<(), sqlx::Error> {
    let teams = serde_json::to_string(teams).unwrap_or_else(|_| "[]".into());
    sqlx::query!(
        "UPDATE sessions SET rescope = 1 WHERE revoked_at IS NULL AND rescope = 0
           AND user_id IN (SELECT user_id FROM team_members WHERE team_id IN (SELECT value FROM json_each(?)))",
        teams
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Stored records whose audience may change when `placements` and
/// `participants` (ids as 16 bytes) are stored: the visits and feedback
/// about those placements, and the placements of those participants with
/// their visits and feedback.
pub async fn dependents(
    conn: &mut SqliteConnection,
    placements: &[Vec<u8>],
    participants: &[Vec<u8>],
) -> Result<Vec<Vec<u8>>, sqlx::Error> {
    let hex = |ids: &[Vec<u8>]| serde_json::to_string(&ids.iter().map(hex::encode).collect::<Vec<_>>());
    let (placements, participants) = (hex(placements).unwrap_or_default(), hex(participants).unwrap_or_default());
    sqlx::query_scalar!(
        r#"WITH places(id) AS (
               SELECT unhex(value) FROM json_each(?1)
               UNION SELECT id FROM placement_rows WHERE participant IN (SELECT unhex(value) FROM json_each(?2)))
           SELECT id AS "id!" FROM places WHERE id IN (SELECT id FROM documents)
           UNION SELECT visit FROM visit_placements WHERE placement IN (SELECT id FROM places)
           UNION SELECT id FROM documents WHERE kind = 'mentor_feedback' AND placement IN (SELECT id FROM places)"#,
        placements,
        participants
    )
    .fetch_all(conn)
    .await
}

/// Reads the team facts into `directory`: each participant's team, each
/// user's teams (by username), and the first team. Returns the version of
/// the facts read ([`team_facts_version`]).
pub async fn load_team_facts(conn: &mut SqliteConnection, directory: &mut Directory) -> Result<i64, sqlx::Error> {
    let version = team_facts_version(&mut *conn).await?;
    let participants = sqlx::query!("SELECT participant, team_id FROM participant_teams").fetch_all(&mut *conn).await?;
    let members = sqlx::query!(r#"SELECT u.username, m.team_id FROM team_members m JOIN users u ON u.id = m.user_id"#)
        .fetch_all(&mut *conn)
        .await?;
    let first: Option<i64> =
        sqlx::query_scalar!(r#"SELECT MIN(id) AS "id?: i64" FROM teams"#).fetch_one(&mut *conn).await?;
    let participant_team =
        participants.into_iter().filter_map(|r| Some((doc_id(&r.participant)?, r.team_id))).collect();
    let mut user_teams: HashMap<String, BTreeSet<i64>> = HashMap::new();
    for member in members {
        user_teams.entry(member.username).or_default().insert(member.team_id);
    }
    directory.set_teams(participant_team, user_teams, first);
    Ok(version)
}

/// The counter that moves with every change to the team facts made
/// outside the sync writer (migration 0016).
pub async fn team_facts_version(conn: &mut SqliteConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!("SELECT version FROM team_facts_version").fetch_one(conn).await
}

/// The whole directory: the team facts, and what every stored record
/// concerns, as the query tables hold it (the same tables the view
/// `document_teams` reads).
pub async fn load_directory(conn: &mut SqliteConnection) -> Result<(Directory, i64), sqlx::Error> {
    let mut directory = Directory::default();
    let version = load_team_facts(&mut *conn, &mut directory).await?;
    let rows = sqlx::query!(
        r#"SELECT d.id, d.kind, d.created_by, d.placement, pr.participant AS "placement_participant?",
                  (SELECT json_group_array(hex(vp.placement)) FROM visit_placements vp WHERE vp.visit = d.id)
                      AS "placements!: String"
           FROM documents d LEFT JOIN placement_rows pr ON pr.id = d.id"#
    )
    .fetch_all(&mut *conn)
    .await?;
    for row in rows {
        let Some(id) = doc_id(&row.id) else { continue };
        let concerns = match row.kind.as_str() {
            "workplace" => Concerns::Everyone,
            "participant" => Concerns::Participant(id),
            "placement" => match row.placement_participant.as_deref().and_then(doc_id) {
                Some(participant) => Concerns::Participant(participant),
                None => Concerns::Placements(Vec::new()),
            },
            "mentor_feedback" => Concerns::Placements(row.placement.as_deref().and_then(doc_id).into_iter().collect()),
            _ => {
                let hex: Vec<String> = serde_json::from_str(&row.placements).unwrap_or_default();
                let placements: Vec<DocId> =
                    hex.iter().filter_map(|h| hex::decode(h).ok()).filter_map(|b| doc_id(&b)).collect();
                if placements.is_empty() { Concerns::MadeBy(row.created_by) } else { Concerns::Placements(placements) }
            }
        };
        directory.load(id, concerns, row.kind == "placement");
    }
    Ok((directory, version))
}
