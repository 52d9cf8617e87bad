//! User administration, for office staff with the admin right: add users,
//! change roles, disable and enable, set a new password, put them in
//! teams, make teams, and sign out a user's devices — with "wipe" for a
//! lost phone. Everything here happens on the server, so the page needs a
//! network connection.

use std::collections::BTreeSet;

use innom_shared::api::{
    DeviceSession, DeviceSessionState, NewTeam, NewUser, Role, TeamSummary, UserAccount, UserChange, UserTeams,
};
use innom_shared::values::Timestamp;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::access_log::AccessLogCard;
use super::context::t;
use super::text::OfficeText;
use crate::i18n::{self, Text};
use crate::services::api::{self, ApiError};
use crate::state::use_app;

/// Where a list from the server stands.
#[derive(Debug, Clone, PartialEq)]
enum Loaded<T> {
    Loading,
    Ready(T),
    Failed,
}

fn role_text(role: Role) -> Text {
    match role {
        Role::Advisor => Text::RoleAdvisor,
        Role::Staff => Text::RoleStaff,
    }
}

fn input_value(node: &NodeRef) -> String {
    node.cast::<HtmlInputElement>().map(|input| input.value()).unwrap_or_default()
}

#[function_component(UsersPage)]
pub fn users_page() -> Html {
    let app = use_app();
    let users = use_state(|| Loaded::<Vec<UserAccount>>::Loading);
    let teams = use_state(Vec::<TeamSummary>::new);
    let token = app.session.as_ref().map(|s| s.token.clone()).unwrap_or_default();

    let reload = {
        let (users, teams, token) = (users.clone(), teams.clone(), token.clone());
        Callback::from(move |()| {
            let (users, teams, token) = (users.clone(), teams.clone(), token.clone());
            wasm_bindgen_futures::spawn_local(async move {
                // Both fetched before either is shown, so a user's boxes and
                // the team list never disagree.
                let fetched_teams = api::teams(&token).await;
                let fetched_users = api::users(&token).await;
                if let Ok(list) = fetched_teams {
                    teams.set(list);
                }
                users.set(fetched_users.map_or(Loaded::Failed, Loaded::Ready));
            });
        })
    };
    {
        let reload = reload.clone();
        use_effect_with((), move |()| reload.emit(()));
    }

    let Some(session) = &app.session else { return Html::default() };
    if !session.user.is_admin {
        return html! { <section class="card"><p class="notice">{ t(&app, OfficeText::AdminOnly) }</p></section> };
    }

    html! {
        <>
            <section class="card" aria-labelledby="users-heading">
                <h1 id="users-heading">{ t(&app, OfficeText::UsersHeading) }</h1>
                { match &*users {
                    Loaded::Loading => html! { <p aria-busy="true">{ app.t(Text::Loading) }</p> },
                    Loaded::Failed => html! { <p class="notice" role="status">{ t(&app, OfficeText::AdminNeedsNetwork) }</p> },
                    Loaded::Ready(list) => html! {
                        <ul class="record-list">
                            { for list.iter().map(|user| html! {
                                <UserRow key={user.id.to_string()} user={user.clone()} is_self={user.username == session.user.username}
                                    teams={(*teams).clone()} on_change={reload.clone()} />
                            }) }
                        </ul>
                    },
                } }
            </section>
            <NewUserForm teams={(*teams).clone()} on_added={reload.clone()} />
            <TeamsCard teams={(*teams).clone()} on_added={reload.clone()} />
            <AccessLogCard />
        </>
    }
}

#[derive(Debug, PartialEq, Properties)]
struct NewUserFormProps {
    teams: Vec<TeamSummary>,
    on_added: Callback<()>,
}

/// One checkbox per team, ticked for those in `chosen`; `on_toggle` gets a
/// team's id when its box changes.
fn team_boxes(teams: &[TeamSummary], chosen: &BTreeSet<i64>, id_prefix: &str, on_toggle: &Callback<i64>) -> Html {
    html! {
        { for teams.iter().map(|team| {
            let (team_id, on_toggle) = (team.id, on_toggle.clone());
            html! {
                <label class="check" key={team.id.to_string()}>
                    <input type="checkbox" id={format!("{id_prefix}-{team_id}")} checked={chosen.contains(&team_id)}
                        onchange={Callback::from(move |_| on_toggle.emit(team_id))} />
                    { &team.name }
                </label>
            }
        }) }
    }
}

fn toggled(set: &BTreeSet<i64>, team: i64) -> BTreeSet<i64> {
    let mut set = set.clone();
    if !set.remove(&team) {
        set.insert(team);
    }
    set
}

/// Adds an account; the admin tells the user their first password.
#[function_component(NewUserForm)]
fn new_user_form(props: &NewUserFormProps) -> Html {
    let app = use_app();
    let (username, display_name, password, role, admin) =
        (use_node_ref(), use_node_ref(), use_node_ref(), use_node_ref(), use_node_ref());
    let message = use_state(|| None::<(OfficeText, bool)>);
    let chosen = use_state(BTreeSet::<i64>::new);
    // With `--password-login off` a new account needs no password.
    let passwords_open = use_state(|| true);
    {
        let passwords_open = passwords_open.clone();
        use_effect_with((), move |()| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Some((open, _)) = api::login_methods().await {
                    passwords_open.set(open);
                }
            });
        });
    }
    let token = app.session.as_ref().map(|s| s.token.clone()).unwrap_or_default();
    let on_toggle = {
        let chosen = chosen.clone();
        Callback::from(move |team: i64| chosen.set(toggled(&chosen, team)))
    };

    let onsubmit = {
        let (username, display_name, password, role, admin) =
            (username.clone(), display_name.clone(), password.clone(), role.clone(), admin.clone());
        let (message, on_added, chosen) = (message.clone(), props.on_added.clone(), chosen.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let chosen_role = role.cast::<HtmlSelectElement>().map(|s| s.value()).unwrap_or_default();
            let user = NewUser {
                username: input_value(&username).trim().to_owned(),
                display_name: input_value(&display_name).trim().to_owned(),
                role: Role::parse(&chosen_role).unwrap_or(Role::Advisor),
                is_admin: admin.cast::<HtmlInputElement>().is_some_and(|c| c.checked()),
                password: input_value(&password),
                teams: chosen.iter().copied().collect(),
            };
            let (token, message, on_added) = (token.clone(), message.clone(), on_added.clone());
            let form_fields = [username.clone(), display_name.clone(), password.clone()];
            wasm_bindgen_futures::spawn_local(async move {
                match api::create_user(&token, &user).await {
                    Ok(_) => {
                        for field in form_fields {
                            if let Some(input) = field.cast::<HtmlInputElement>() {
                                input.set_value("");
                            }
                        }
                        message.set(Some((OfficeText::UserAdded, false)));
                        on_added.emit(());
                    }
                    Err(ApiError::Server { status: 409, .. }) => message.set(Some((OfficeText::UsernameTaken, true))),
                    Err(ApiError::Server { status: 422, .. }) => message.set(Some((OfficeText::CheckFields, true))),
                    Err(_) => message.set(Some((OfficeText::AdminNeedsNetwork, true))),
                }
            });
        })
    };

    html! {
        <section class="card" aria-labelledby="new-user-heading">
            <h2 id="new-user-heading">{ t(&app, OfficeText::NewUserHeading) }</h2>
            <form class="form" {onsubmit} novalidate=true>
                <label for="new-username">{ app.t(Text::Username) }</label>
                <input id="new-username" type="text" ref={username} autocomplete="off" autocapitalize="none" />
                <label for="new-display-name">{ t(&app, OfficeText::DisplayName) }</label>
                <input id="new-display-name" type="text" ref={display_name} autocomplete="off" />
                <label for="new-role">{ t(&app, OfficeText::RoleLabel) }</label>
                <select id="new-role" ref={role}>
                    <option value="advisor">{ app.t(Text::RoleAdvisor) }</option>
                    <option value="staff">{ app.t(Text::RoleStaff) }</option>
                </select>
                <label class="check"><input type="checkbox" ref={admin} />{ t(&app, OfficeText::AdminRight) }</label>
                if !props.teams.is_empty() {
                    <fieldset class="teams">
                        <legend>{ t(&app, OfficeText::TeamsOf) }</legend>
                        { team_boxes(&props.teams, &chosen, "new-team", &on_toggle) }
                    </fieldset>
                }
                <label for="new-password" hidden={!*passwords_open}>{ app.t(Text::Password) }</label>
                <input id="new-password" type="password" ref={password} autocomplete="new-password"
                    hidden={!*passwords_open} />
                if !*passwords_open {
                    <p class="notice">{ t(&app, OfficeText::SignsInWithProvider) }</p>
                }
                if let Some((text, is_error)) = *message {
                    <p class={if is_error { "error" } else { "notice" }} role={if is_error { "alert" } else { "status" }}>
                        { t(&app, text) }
                    </p>
                }
                <button type="submit" class="button button-primary">{ t(&app, OfficeText::AddUser) }</button>
            </form>
        </section>
    }
}

#[derive(Debug, PartialEq, Properties)]
struct UserRowProps {
    user: UserAccount,
    teams: Vec<TeamSummary>,
    /// The admin's own row: no way to disable or demote oneself.
    is_self: bool,
    on_change: Callback<()>,
}

/// One account: role, admin right, enable/disable, new password, devices.
#[function_component(UserRow)]
fn user_row(props: &UserRowProps) -> Html {
    let app = use_app();
    let show_devices = use_state(|| false);
    let password = use_node_ref();
    let password_set = use_state(|| false);
    let team_refused = use_state(|| false);
    let token = app.session.as_ref().map(|s| s.token.clone()).unwrap_or_default();
    let user = &props.user;
    let id = user.id;
    let set_teams = {
        let (token, on_change, team_refused) = (token.clone(), props.on_change.clone(), team_refused.clone());
        move |teams: &BTreeSet<i64>, all_teams: bool| {
            let body = UserTeams { teams: teams.iter().copied().collect(), all_teams };
            let (token, on_change, team_refused) = (token.clone(), on_change.clone(), team_refused.clone());
            wasm_bindgen_futures::spawn_local(async move {
                team_refused.set(api::set_user_teams(&token, id, &body).await.is_err());
                on_change.emit(());
            });
        }
    };
    let current: BTreeSet<i64> = user.teams.iter().copied().collect();
    let on_team = {
        let (set_teams, current, all_teams) = (set_teams.clone(), current.clone(), user.all_teams);
        Callback::from(move |team: i64| set_teams(&toggled(&current, team), all_teams))
    };
    let on_all_teams = {
        let current = current.clone();
        Callback::from(move |event: Event| {
            set_teams(&current, event.target_unchecked_into::<HtmlInputElement>().checked());
        })
    };

    let change = {
        let (token, on_change) = (token.clone(), props.on_change.clone());
        move |change: UserChange| {
            let (token, on_change) = (token.clone(), on_change.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let _ = api::change_user(&token, id, &change).await;
                on_change.emit(());
            });
        }
    };
    let on_role = {
        let change = change.clone();
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<HtmlSelectElement>().value();
            change(UserChange { role: Role::parse(&value), ..UserChange::default() });
        })
    };
    let on_admin = {
        let change = change.clone();
        Callback::from(move |event: Event| {
            let checked = event.target_unchecked_into::<HtmlInputElement>().checked();
            change(UserChange { is_admin: Some(checked), ..UserChange::default() });
        })
    };
    let disabled = user.disabled;
    let on_disable = Callback::from(move |_| change(UserChange { disabled: Some(!disabled), ..UserChange::default() }));
    let on_password = {
        let (password, password_set, token, on_change) =
            (password.clone(), password_set.clone(), token.clone(), props.on_change.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (new, password, password_set, token, on_change) =
                (input_value(&password), password.clone(), password_set.clone(), token.clone(), on_change.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let ok = api::reset_password(&token, id, new).await.is_ok();
                if ok && let Some(input) = password.cast::<HtmlInputElement>() {
                    input.set_value("");
                }
                password_set.set(ok);
                on_change.emit(());
            });
        })
    };
    let toggle_devices = {
        let show_devices = show_devices.clone();
        Callback::from(move |_| show_devices.set(!*show_devices))
    };
    let role_id = format!("role-{id}");
    let password_id = format!("password-{id}");

    html! {
        <li class="user-row" data-username={user.username.clone()} data-disabled={user.disabled.to_string()}>
            <h2>{ &user.display_name }{ " " }<span class="muted">{ format!("({})", user.username) }</span></h2>
            <p>
                if user.disabled {
                    <strong>{ t(&app, OfficeText::DisabledLabel) }</strong>
                } else {
                    { format!("{} {}", user.active_sessions,
                        if user.active_sessions == 1 { t(&app, OfficeText::ActiveDevice) } else { t(&app, OfficeText::ActiveDevices) }) }
                }
            </p>
            <div class="form">
                <label for={role_id.clone()}>{ t(&app, OfficeText::RoleLabel) }</label>
                <select id={role_id} onchange={on_role} disabled={props.is_self}>
                    { for [Role::Advisor, Role::Staff].into_iter().map(|role| html! {
                        <option value={role.as_str()} selected={role == user.role}>{ app.t(role_text(role)) }</option>
                    }) }
                </select>
                <label class="check">
                    <input type="checkbox" checked={user.is_admin} onchange={on_admin}
                        disabled={props.is_self || user.role != Role::Staff} />
                    { t(&app, OfficeText::AdminRight) }
                </label>
                <fieldset class="teams">
                    <legend>{ t(&app, OfficeText::TeamsOf) }</legend>
                    { team_boxes(&props.teams, &current, &format!("team-{id}"), &on_team) }
                    if user.role == Role::Staff {
                        <label class="check">
                            <input type="checkbox" checked={user.all_teams} onchange={on_all_teams} />
                            { t(&app, OfficeText::SeesAllTeams) }
                        </label>
                    }
                </fieldset>
                if *team_refused {
                    <p class="error" role="alert">{ t(&app, OfficeText::AdvisorNeedsTeam) }</p>
                }
            </div>
            <div class="actions">
                if !props.is_self {
                    <button type="button" class="button" onclick={on_disable}>
                        { t(&app, if user.disabled { OfficeText::Enable } else { OfficeText::Disable }) }
                    </button>
                }
                <button type="button" class="button" aria-expanded={show_devices.to_string()} onclick={toggle_devices}>
                    { t(&app, OfficeText::ShowDevices) }
                </button>
            </div>
            <details>
                <summary>{ t(&app, OfficeText::NewPassword) }</summary>
                <form class="form" onsubmit={on_password}>
                    <label for={password_id.clone()}>{ t(&app, OfficeText::NewPassword) }</label>
                    <input id={password_id} type="password" ref={password} autocomplete="new-password" minlength="10" />
                    <button type="submit" class="button">{ t(&app, OfficeText::SetPassword) }</button>
                </form>
            </details>
            if *password_set {
                <p class="notice" role="status">{ t(&app, OfficeText::PasswordSet) }</p>
            }
            if *show_devices {
                <Devices user={id} on_change={props.on_change.clone()} />
            }
        </li>
    }
}

#[derive(Debug, PartialEq, Properties)]
struct DevicesProps {
    user: i64,
    on_change: Callback<()>,
}

/// A user's device sessions, each with "sign out" and "sign out and wipe".
#[function_component(Devices)]
fn devices(props: &DevicesProps) -> Html {
    let app = use_app();
    let sessions = use_state(|| Loaded::<Vec<DeviceSession>>::Loading);
    let token = app.session.as_ref().map(|s| s.token.clone()).unwrap_or_default();
    let user = props.user;

    let reload = {
        let (sessions, token) = (sessions.clone(), token.clone());
        Callback::from(move |()| {
            let (sessions, token) = (sessions.clone(), token.clone());
            wasm_bindgen_futures::spawn_local(async move {
                sessions.set(api::user_sessions(&token, user).await.map_or(Loaded::Failed, Loaded::Ready));
            });
        })
    };
    {
        let reload = reload.clone();
        use_effect_with(user, move |_| reload.emit(()));
    }
    let revoke = |session: i64, wipe: bool| {
        let (token, reload, on_change, confirm) =
            (token.clone(), reload.clone(), props.on_change.clone(), t(&app, OfficeText::ConfirmWipe));
        Callback::from(move |_| {
            if wipe && !gloo::utils::window().confirm_with_message(confirm).unwrap_or(false) {
                return;
            }
            let (token, reload, on_change) = (token.clone(), reload.clone(), on_change.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let _ = api::revoke_session(&token, session, wipe).await;
                reload.emit(());
                on_change.emit(());
            });
        })
    };

    match &*sessions {
        Loaded::Loading => html! { <p aria-busy="true">{ app.t(Text::Loading) }</p> },
        Loaded::Failed => html! { <p class="notice" role="status">{ t(&app, OfficeText::AdminNeedsNetwork) }</p> },
        Loaded::Ready(list) if list.is_empty() => html! { <p>{ t(&app, OfficeText::NoDevices) }</p> },
        Loaded::Ready(list) => html! {
            <ul class="record-list devices">
                { for list.iter().map(|session| html! {
                    <li class="device" key={session.id.to_string()} data-session-state={format!("{:?}", session.state).to_lowercase()}>
                        <p><strong>{ &session.device_name }</strong>{ " · " }{ app.t(i18n::session_state(session.state)) }</p>
                        <p class="muted">{ t(&app, OfficeText::LastSeen) }{ " " }{ i18n::date_time(Timestamp(session.last_seen_at)) }</p>
                        if matches!(session.state, DeviceSessionState::Active | DeviceSessionState::Expired) {
                            <div class="actions">
                                <button type="button" class="button" onclick={revoke(session.id, false)}>
                                    { t(&app, OfficeText::SignOutDevice) }
                                </button>
                                <button type="button" class="button button-danger" onclick={revoke(session.id, true)}>
                                    { t(&app, OfficeText::SignOutAndWipe) }
                                </button>
                            </div>
                        }
                    </li>
                }) }
            </ul>
        },
    }
}

#[derive(Debug, PartialEq, Properties)]
struct TeamsCardProps {
    teams: Vec<TeamSummary>,
    on_added: Callback<()>,
}

/// The teams with their members, and a form to make one.
#[function_component(TeamsCard)]
fn teams_card(props: &TeamsCardProps) -> Html {
    let app = use_app();
    let name = use_node_ref();
    let message = use_state(|| None::<(OfficeText, bool)>);
    let token = app.session.as_ref().map(|s| s.token.clone()).unwrap_or_default();
    let onsubmit = {
        let (name, message, on_added) = (name.clone(), message.clone(), props.on_added.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let team = NewTeam { name: input_value(&name).trim().to_owned() };
            let (token, name, message, on_added) = (token.clone(), name.clone(), message.clone(), on_added.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::create_team(&token, &team).await {
                    Ok(_) => {
                        if let Some(input) = name.cast::<HtmlInputElement>() {
                            input.set_value("");
                        }
                        message.set(Some((OfficeText::TeamAdded, false)));
                        on_added.emit(());
                    }
                    Err(ApiError::Server { status: 409, .. }) => message.set(Some((OfficeText::TeamExists, true))),
                    Err(ApiError::Server { status: 422, .. }) => message.set(Some((OfficeText::TeamNameNeeded, true))),
                    Err(_) => message.set(Some((OfficeText::LoadFailed, true))),
                }
            });
        })
    };
    html! {
        <section class="card" aria-labelledby="teams-heading">
            <h2 id="teams-heading">{ t(&app, OfficeText::TeamsHeading) }</h2>
            <p class="muted">{ t(&app, OfficeText::TeamsIntro) }</p>
            <ul class="record-list">
                { for props.teams.iter().map(|team| html! {
                    <li class="team-row" key={team.id.to_string()} data-team={team.name.clone()}>
                        <strong>{ &team.name }</strong>
                        { format!(" · {} {} · ", team.participants, t(&app, OfficeText::TeamParticipants)) }
                        { if team.members.is_empty() { t(&app, OfficeText::NoMembers).to_owned() } else { team.members.join(", ") } }
                    </li>
                }) }
            </ul>
            <form class="form" {onsubmit} novalidate=true>
                <label for="new-team-name">{ t(&app, OfficeText::TeamName) }</label>
                <input id="new-team-name" type="text" ref={name} autocomplete="off" />
                if let Some((text, is_error)) = *message {
                    <p class={if is_error { "error" } else { "notice" }} role={if is_error { "alert" } else { "status" }}>
                        { t(&app, text) }
                    </p>
                }
                <button type="submit" class="button">{ t(&app, OfficeText::AddTeam) }</button>
            </form>
        </section>
    }
}
