//! The office app's screens and their addresses, for the generic
//! [`crate::router`].

use crate::router::{LinkTo, Routable};

/// The office app's screens, under `/kontor`.
#[derive(Debug, Clone, PartialEq)]
pub enum OfficeRoute {
    Attention,
    Placement { id: String },
    Workplace { id: String },
    History { id: String },
    Figures,
    Users,
    NotFound,
}

impl Routable for OfficeRoute {
    fn parse(path: &str) -> Self {
        let Some(rest) = path.trim_end_matches('/').strip_prefix("/kontor") else { return Self::NotFound };
        let id_after = |prefix: &str| {
            rest.strip_prefix(prefix).filter(|id| !id.is_empty() && !id.contains('/')).map(str::to_owned)
        };
        match rest {
            "" => Self::Attention,
            "/tall" => Self::Figures,
            "/brukere" => Self::Users,
            _ => {
                if let Some(id) = id_after("/praksis/") {
                    Self::Placement { id }
                } else if let Some(id) = id_after("/arbeidssted/") {
                    Self::Workplace { id }
                } else if let Some(id) = id_after("/historikk/") {
                    Self::History { id }
                } else {
                    Self::NotFound
                }
            }
        }
    }

    fn path(&self) -> String {
        match self {
            Self::Attention => "/kontor".into(),
            Self::Placement { id } => format!("/kontor/praksis/{id}"),
            Self::Workplace { id } => format!("/kontor/arbeidssted/{id}"),
            Self::History { id } => format!("/kontor/historikk/{id}"),
            Self::Figures => "/kontor/tall".into(),
            Self::Users => "/kontor/brukere".into(),
            Self::NotFound => "/kontor/404".into(),
        }
    }

    fn not_found() -> Self {
        Self::NotFound
    }
}

/// A link inside the office app.
pub type Link = LinkTo<OfficeRoute>;
