//! Teams: admins make them and say who is in which; a new database, and an
//! upgraded one, start with one team holding everyone; a participant an
//! advisor makes belongs to her team, with her responsible.

use innom_server::store::documents::id_bytes_of;
use innom_server::store::teams;
use innom_shared::api::{Role, TeamSummary, UserAccount};
use innom_tests::{PASSWORD, TestApp, error_code, id, spawn_app, usual_world, world};
use serde_json::json;

async fn teams_of(app: &TestApp, admin: &str) -> Vec<TeamSummary> {
    let answer = app.get("/api/admin/teams", Some(admin)).await;
    assert_eq!(answer.status(), 200);
    answer.json().await.expect("teams")
}

#[tokio::test]
async fn a_new_database_has_one_team_that_every_new_account_joins() {
    let app = spawn_app().await;
    app.add_admin("ola", PASSWORD).await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    let admin = app.token("ola", PASSWORD).await;

    let teams = teams_of(&app, &admin).await;
    assert_eq!(teams.len(), 1);
    assert_eq!(teams[0].name, "Alle");
    assert_eq!(teams[0].members, ["kari", "ola"]);
}

#[tokio::test]
async fn admins_make_teams_and_place_people_in_them() {
    let app = spawn_app().await;
    app.add_admin("ola", PASSWORD).await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    let admin = app.token("ola", PASSWORD).await;
    let kari = app.token("kari", PASSWORD).await;

    let made = app.send(reqwest::Method::POST, "/api/admin/teams", &admin, json!({ "name": " Jobbsjansen " })).await;
    assert_eq!(made.status(), 201);
    let jobbsjansen: TeamSummary = made.json().await.expect("team");
    assert_eq!(jobbsjansen.name, "Jobbsjansen");
    let again = app.send(reqwest::Method::POST, "/api/admin/teams", &admin, json!({ "name": "JOBBSJANSEN" })).await;
    assert_eq!(again.status(), 409);
    let empty = app.send(reqwest::Method::POST, "/api/admin/teams", &admin, json!({ "name": "  " })).await;
    assert_eq!(empty.status(), 422);
    let not_admin = app.send(reqwest::Method::POST, "/api/admin/teams", &kari, json!({ "name": "Øst" })).await;
    assert_eq!(not_admin.status(), 403);

    // With two teams, a new advisor must be given one.
    let new_user = |teams: Vec<i64>| json!({ "username": "siri", "display_name": "Siri Dahl", "role": "advisor", "password": "et langt passord", "teams": teams });
    let no_team = app.send(reqwest::Method::POST, "/api/admin/users", &admin, new_user(vec![])).await;
    assert_eq!(no_team.status(), 422);
    assert_eq!(error_code(no_team).await, "invalid_body");
    let unknown = app.send(reqwest::Method::POST, "/api/admin/users", &admin, new_user(vec![999])).await;
    assert_eq!(unknown.status(), 422);
    let siri = app.send(reqwest::Method::POST, "/api/admin/users", &admin, new_user(vec![jobbsjansen.id])).await;
    assert_eq!(siri.status(), 201);
    let siri: UserAccount = siri.json().await.expect("account");
    assert_eq!(siri.teams, [jobbsjansen.id]);

    // Kari moves to both teams; an advisor cannot be left without one.
    let users: Vec<UserAccount> = app.get("/api/admin/users", Some(&admin)).await.json().await.expect("users");
    let kari_account = users.iter().find(|u| u.username == "kari").expect("kari");
    let path = format!("/api/admin/users/{}/teams", kari_account.id);
    let both = vec![1, jobbsjansen.id];
    let moved = app.send(reqwest::Method::PUT, &path, &admin, json!({ "teams": both })).await;
    assert_eq!(moved.status(), 200);
    assert_eq!(moved.json::<UserAccount>().await.expect("account").teams, both);
    let none = app.send(reqwest::Method::PUT, &path, &admin, json!({ "teams": [] })).await;
    assert_eq!(none.status(), 422);
    let missing = app.send(reqwest::Method::PUT, "/api/admin/users/999/teams", &admin, json!({ "teams": [1] })).await;
    assert_eq!(missing.status(), 404);

    let teams = teams_of(&app, &admin).await;
    let listed = teams.iter().find(|t| t.id == jobbsjansen.id).expect("listed");
    assert_eq!(listed.members, ["kari", "siri"]);

    // Staff named to a team see only it; without, the whole municipality.
    let staff = |teams: Vec<i64>| json!({ "username": "per", "display_name": "Per", "role": "staff", "password": "et langt passord", "teams": teams });
    let per: UserAccount = app
        .send(reqwest::Method::POST, "/api/admin/users", &admin, staff(vec![jobbsjansen.id]))
        .await
        .json()
        .await
        .expect("per");
    assert!(!per.all_teams);
    let ola = users.iter().find(|u| u.username == "ola").expect("ola");
    assert!(ola.all_teams, "staff see every team unless limited");
}

#[tokio::test]
async fn a_participant_an_advisor_makes_is_in_her_team_with_her_responsible() {
    let app = spawn_app().await;
    app.add_admin("ola", PASSWORD).await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    let admin = app.token("ola", PASSWORD).await;
    let made = app.send(reqwest::Method::POST, "/api/admin/teams", &admin, json!({ "name": "Øst" })).await;
    let east: TeamSummary = made.json().await.expect("team");
    let users: Vec<UserAccount> = app.get("/api/admin/users", Some(&admin)).await.json().await.expect("users");
    let kari_id = users.iter().find(|u| u.username == "kari").expect("kari").id;
    let path = format!("/api/admin/users/{kari_id}/teams");
    assert_eq!(app.send(reqwest::Method::PUT, &path, &admin, json!({ "teams": [east.id] })).await.status(), 200);

    let kari = app.token("kari", PASSWORD).await;
    let mut phone = usual_world();
    app.sync_device(&kari, &mut phone).await;

    let placed = teams::of_participant(&app.db, &id_bytes_of(id(world::PARTICIPANT))).await.expect("query");
    assert_eq!(placed, Some((east.id, Some("kari".to_owned()))));
    let teams = teams_of(&app, &admin).await;
    assert_eq!(teams.iter().find(|t| t.id == east.id).expect("east").participants, 1);
}
