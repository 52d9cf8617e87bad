//! What each `innom` subcommand does.

use std::io::{BufRead, IsTerminal};

use anyhow::{Context, bail};

use crate::config::{
    BackupArgs, Cli, Command, DatabaseArg, RestoreArgs, ServeConfig, TeamAddArgs, TeamCommand, UserAddArgs, UserCommand,
};
use crate::passwords::{self, Passwords};
use crate::startup::Application;
use crate::store::teams::{self, Membership};
use crate::{demo, store};

/// Runs one command to completion.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(config) => serve(*config).await,
        Command::User { command: UserCommand::Add(args) } => add_user(args).await,
        Command::Team { command: TeamCommand::Add(TeamAddArgs { database: DatabaseArg { database }, name }) } => {
            let db = store::open(&database).await?;
            let team = teams::add(&db, &name).await?;
            println!("Added the team {:?}.", team.name);
            Ok(())
        }
        Command::Team { command: TeamCommand::List(DatabaseArg { database }) } => {
            let db = store::open(&database).await?;
            for team in teams::list(&db).await? {
                let members = if team.members.is_empty() { "no members".to_owned() } else { team.members.join(", ") };
                println!("{}: {} participants; {members}", team.name, team.participants);
            }
            Ok(())
        }
        Command::Demo(DatabaseArg { database }) => {
            let db = store::open(&database).await?;
            let hub = crate::sync::SyncHub::start(db.clone()).await?;
            let added = demo::load(&db, &Passwords::new()?, &hub).await?;
            println!(
                "Added {} demo user(s) and {} demo record(s) to {}.",
                added.users.len(),
                added.records,
                database.display()
            );
            print!("{}", demo::describe_logins());
            Ok(())
        }
        Command::RebuildProjections(DatabaseArg { database }) => {
            let db = store::open(&database).await?;
            let projected = store::projections::rebuild(&db).await?;
            println!("Rebuilt the query tables of {} from {projected} record(s).", database.display());
            Ok(())
        }
        Command::Backup(BackupArgs { database: DatabaseArg { database }, to }) => {
            let summary = store::backup::backup(&database, &to).await?;
            println!("Backed up {} to {}: {summary}.", database.display(), to.display());
            Ok(())
        }
        Command::Restore(RestoreArgs { from, database: DatabaseArg { database } }) => {
            let summary = store::backup::restore(&from, &database).await?;
            println!(
                "Restored {} from {}: {summary}. Phones send again what it lacks.",
                database.display(),
                from.display()
            );
            Ok(())
        }
    }
}

async fn serve(config: ServeConfig) -> anyhow::Result<()> {
    if let Some(dir) = &config.static_dir
        && !dir.join("index.html").is_file()
    {
        bail!("the static folder {} has no index.html; build the client first (cargo xtask run)", dir.display());
    }
    let demo = config.demo;
    let app = Application::build(config).await?;
    if demo && demo::load_if_empty(app.db(), app.passwords(), app.hub()).await? {
        print!("{}", demo::describe_logins());
    }
    let addr = app.local_addr()?;
    if let Some(redirect) = app.redirect_addr() {
        println!("Plain HTTP on {redirect} is sent to HTTPS");
    }
    // Tests read this line to find the port.
    println!("Innom is running at {}://{addr}", app.scheme());
    tracing::info!(%addr, "listening");
    app.run_until_stopped(shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

async fn add_user(args: UserAddArgs) -> anyhow::Result<()> {
    let password = read_password()?;
    if password.chars().count() < passwords::MIN_LENGTH {
        bail!("the password must have at least {} characters", passwords::MIN_LENGTH);
    }
    let username = args.username.trim();
    if username.is_empty() || username.contains(char::is_whitespace) {
        bail!("the username must be one word");
    }
    if args.admin && !matches!(args.role, crate::config::RoleArg::Staff) {
        bail!("only staff can have the admin right");
    }
    let db = store::open(&args.database.database).await?;
    let membership = Membership::Teams(teams::ids_by_name(&db, &args.teams).await?);
    let hash = Passwords::new()?.hash(password).await?;
    let display_name = args.display_name.as_deref().unwrap_or(username);
    store::users::add(&db, username, display_name, (args.role.into(), args.admin), &hash, &membership).await?;
    println!("Added {} {username:?}.", innom_shared::api::Role::from(args.role));
    Ok(())
}

/// Reads the password: prompted without echo on a terminal, otherwise the
/// first line of standard input.
fn read_password() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let second = rpassword::prompt_password("Repeat password: ")?;
        if first != second {
            bail!("the passwords do not match");
        }
        return Ok(first);
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line).context("cannot read the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
