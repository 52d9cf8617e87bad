//! Which Innom account a provider's sign-in is: matched on the username
//! claim, or (with `--oidc-accounts create`) made from the groups claim.

use innom_shared::api::Role;
use serde_json::{Map, Value};

use super::SignInError;
use crate::config::OidcArgs;
use crate::store::Db;
use crate::store::teams::{self, Membership};
use crate::store::users;

/// The password hash of an account made at sign-in: not a PHC string, so
/// no password ever matches it.
pub const NO_PASSWORD: &str = "!signs-in-with-identity-provider";

/// Whether a person unknown to Innom gets an account at first sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NewAccounts {
    /// Only people who already have an account may sign in.
    Existing,
    /// A new person's account is made from their groups.
    Create,
}

/// `--oidc-group GROUP=WHAT`: what a group gives a new account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRule {
    pub group: String,
    pub role: Option<Role>,
    pub admin: bool,
    pub teams: Vec<String>,
}

impl GroupRule {
    /// Parses `GROUP=advisor,team:Vest` and the like.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (group, what) = text
            .split_once('=')
            .ok_or_else(|| format!("{text:?} is not GROUP=WHAT (for example staff=staff,admin)"))?;
        let group = group.trim();
        if group.is_empty() {
            return Err(format!("{text:?} names no group before '='"));
        }
        let mut rule = Self { group: group.to_owned(), role: None, admin: false, teams: Vec::new() };
        for part in what.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part {
                "advisor" => rule.role = Some(rule.role.unwrap_or(Role::Advisor)),
                "staff" => rule.role = Some(Role::Staff),
                "admin" => rule.admin = true,
                _ => match part.strip_prefix("team:").map(str::trim) {
                    Some(team) if !team.is_empty() => rule.teams.push(team.to_owned()),
                    _ => {
                        return Err(format!("{part:?} in {text:?} is not advisor, staff, admin or team:<name>"));
                    }
                },
            }
        }
        Ok(rule)
    }
}

/// How claims become an account.
#[derive(Debug, Clone)]
pub struct ClaimRules {
    username: String,
    name: String,
    groups: Option<String>,
    rules: Vec<GroupRule>,
    new_accounts: NewAccounts,
}

/// What a person's groups give a new account.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Grant {
    pub role: Option<Role>,
    pub admin: bool,
    pub teams: Vec<String>,
}

impl ClaimRules {
    pub fn from_config(args: &OidcArgs) -> Self {
        Self {
            username: args.oidc_username_claim.clone(),
            name: args.oidc_name_claim.clone(),
            groups: args.oidc_groups_claim.clone(),
            rules: args.oidc_groups.clone(),
            new_accounts: args.oidc_accounts,
        }
    }

    /// The groups the claims list (an array of strings, or one string).
    fn groups_of<'a>(&self, claims: &'a Map<String, Value>) -> Vec<&'a str> {
        match self.groups.as_ref().and_then(|name| claims.get(name)) {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            Some(Value::String(one)) => vec![one.as_str()],
            _ => Vec::new(),
        }
    }

    /// What the person's groups give: staff wins over advisor, and the
    /// admin right is for staff only.
    pub fn grant(&self, claims: &Map<String, Value>) -> Grant {
        let groups = self.groups_of(claims);
        let mut grant = Grant::default();
        for rule in self.rules.iter().filter(|r| groups.contains(&r.group.as_str())) {
            grant.role = match (grant.role, rule.role) {
                (Some(Role::Staff), _) | (_, Some(Role::Staff)) => Some(Role::Staff),
                (a, b) => a.or(b),
            };
            grant.admin |= rule.admin;
            for team in &rule.teams {
                if !grant.teams.contains(team) {
                    grant.teams.push(team.clone());
                }
            }
        }
        grant.admin &= grant.role == Some(Role::Staff);
        grant
    }

    /// The account the verified claims stand for: an existing, enabled
    /// one, or a new one when allowed. Returns its id.
    pub async fn account(&self, db: &Db, claims: &Map<String, Value>) -> Result<i64, SignInError> {
        let username = claims
            .get(&self.username)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .ok_or_else(|| SignInError::NotAllowed(format!("the ID token has no {:?} claim", self.username)))?;
        let internal = |e: sqlx::Error| SignInError::Unreachable(format!("the database failed: {e}"));
        if let Some(user) = users::find_by_username(db, username).await.map_err(internal)? {
            if user.disabled {
                return Err(SignInError::NotAllowed(format!("the Innom account {username:?} is disabled")));
            }
            return Ok(user.id);
        }
        if self.new_accounts == NewAccounts::Existing {
            return Err(SignInError::NotAllowed(format!(
                "there is no Innom account named {username:?} (--oidc-accounts existing)"
            )));
        }
        let grant = self.grant(claims);
        let Some(role) = grant.role else {
            return Err(SignInError::NotAllowed(format!(
                "none of {username:?}'s groups ({:?}) gives a role (--oidc-group)",
                self.groups_of(claims)
            )));
        };
        let membership = if grant.teams.is_empty() {
            Membership::Default
        } else {
            let ids = teams::ids_by_name(db, &grant.teams)
                .await
                .map_err(|e| SignInError::NotAllowed(format!("--oidc-group names a team Innom lacks: {e}")))?;
            Membership::Teams(ids)
        };
        let display_name =
            claims.get(&self.name).and_then(Value::as_str).map(str::trim).filter(|n| !n.is_empty()).unwrap_or(username);
        let added = users::add(db, username, display_name, (role, grant.admin), NO_PASSWORD, &membership).await;
        match added {
            Ok(id) => {
                tracing::info!(user = username, role = role.as_str(), admin = grant.admin, teams = ?grant.teams,
                    "made an account at first sign-in through the identity provider");
                Ok(id)
            }
            Err(e) => Err(SignInError::NotAllowed(format!("could not make the account {username:?}: {e}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(groups: &[&str]) -> ClaimRules {
        ClaimRules {
            username: "preferred_username".into(),
            name: "name".into(),
            groups: Some("groups".into()),
            rules: groups.iter().map(|g| GroupRule::parse(g).expect("rule")).collect(),
            new_accounts: NewAccounts::Create,
        }
    }

    fn claims(groups: &[&str]) -> Map<String, Value> {
        serde_json::json!({ "groups": groups }).as_object().expect("object").clone()
    }

    #[test]
    fn group_rules_parse_and_name_what_is_wrong() {
        let rule = GroupRule::parse("sg-vest=advisor, team:Vest").expect("parses");
        assert_eq!(rule.group, "sg-vest");
        assert_eq!(rule.role, Some(Role::Advisor));
        assert_eq!(rule.teams, vec!["Vest".to_owned()]);
        assert!(GroupRule::parse("no-equals").expect_err("refused").contains("GROUP=WHAT"));
        assert!(GroupRule::parse("g=boss").expect_err("refused").contains("\"boss\""));
        assert!(GroupRule::parse("=staff").expect_err("refused").contains("no group"));
    }

    #[test]
    fn staff_wins_admin_is_for_staff_and_teams_add_up() {
        let rules = rules(&["a=advisor,team:Vest", "s=staff", "adm=admin", "t=team:Øst"]);
        let grant = rules.grant(&claims(&["a", "t"]));
        assert_eq!(grant, Grant { role: Some(Role::Advisor), admin: false, teams: vec!["Vest".into(), "Øst".into()] });
        assert!(!rules.grant(&claims(&["a", "adm"])).admin, "an advisor gets no admin right");
        let grant = rules.grant(&claims(&["a", "s", "adm"]));
        assert_eq!((grant.role, grant.admin), (Some(Role::Staff), true));
        assert_eq!(rules.grant(&claims(&["other"])).role, None);
    }
}
