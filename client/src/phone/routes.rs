//! The phone app's screens and their addresses, for the generic
//! [`crate::router`].

use yew::prelude::*;

use crate::router::{LinkTo, RedirectTo, Routable, RouterOf, use_navigator_of, use_route_of};

/// Every screen, with its (Norwegian) address.
#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    Home,
    Login,
    NewVisit,
    /// A new visit about one placement: its workplace and it pre-filled.
    NewVisitFor {
        placement: String,
    },
    EditVisit {
        id: String,
    },
    /// A new visit at one workplace, pre-filled.
    NewVisitAt {
        workplace: String,
    },
    Placement {
        id: String,
    },
    Workplaces,
    Workplace {
        id: String,
    },
    NewWorkplace,
    EditWorkplace {
        id: String,
    },
    Participants,
    /// A new placement, for a participant or at a workplace when started
    /// from either.
    NewPlacement {
        participant: Option<String>,
        workplace: Option<String>,
    },
    NotFound,
}

impl Routable for Route {
    fn parse(path: &str) -> Self {
        match path.trim_end_matches('/') {
            "" => Self::Home,
            "/logg-inn" => Self::Login,
            "/besok/ny" => Self::NewVisit,
            "/arbeidssteder" => Self::Workplaces,
            "/arbeidssted/ny" => Self::NewWorkplace,
            "/deltakere" => Self::Participants,
            "/praksis/ny" => Self::NewPlacement { participant: None, workplace: None },
            other => {
                let id_after = |prefix: &str| {
                    other.strip_prefix(prefix).filter(|id| !id.is_empty() && !id.contains('/')).map(str::to_owned)
                };
                if let Some(id) = id_after("/praksis/ny/deltaker/") {
                    Self::NewPlacement { participant: Some(id), workplace: None }
                } else if let Some(id) = id_after("/praksis/ny/arbeidssted/") {
                    Self::NewPlacement { participant: None, workplace: Some(id) }
                } else if let Some(id) =
                    other.strip_prefix("/arbeidssted/").and_then(|rest| rest.strip_suffix("/endre"))
                {
                    Self::EditWorkplace { id: id.to_owned() }
                } else if let Some(id) = other.strip_prefix("/besok/").and_then(|rest| rest.strip_suffix("/endre")) {
                    Self::EditVisit { id: id.to_owned() }
                } else if let Some(id) = id_after("/praksis/") {
                    Self::Placement { id }
                } else if let Some(id) = id_after("/arbeidssted/") {
                    Self::Workplace { id }
                } else if let Some(workplace) = id_after("/besok/ny/arbeidssted/") {
                    Self::NewVisitAt { workplace }
                } else if let Some(placement) = id_after("/besok/ny/") {
                    Self::NewVisitFor { placement }
                } else {
                    Self::NotFound
                }
            }
        }
    }

    fn path(&self) -> String {
        match self {
            Self::Home => "/".into(),
            Self::Login => "/logg-inn".into(),
            Self::NewVisit => "/besok/ny".into(),
            Self::Placement { id } => format!("/praksis/{id}"),
            Self::Workplaces => "/arbeidssteder".into(),
            Self::Workplace { id } => format!("/arbeidssted/{id}"),
            Self::NewWorkplace => "/arbeidssted/ny".into(),
            Self::EditWorkplace { id } => format!("/arbeidssted/{id}/endre"),
            Self::Participants => "/deltakere".into(),
            Self::NewPlacement { participant: Some(id), .. } => format!("/praksis/ny/deltaker/{id}"),
            Self::NewPlacement { workplace: Some(id), .. } => format!("/praksis/ny/arbeidssted/{id}"),
            Self::NewPlacement { .. } => "/praksis/ny".into(),
            Self::NewVisitFor { placement } => format!("/besok/ny/{placement}"),
            Self::EditVisit { id } => format!("/besok/{id}/endre"),
            Self::NewVisitAt { workplace } => format!("/besok/ny/arbeidssted/{workplace}"),
            Self::NotFound => "/404".into(),
        }
    }

    fn not_found() -> Self {
        Self::NotFound
    }
}

/// The phone app's router, link, redirect and navigator.
pub type Router = RouterOf<Route>;
pub type Link = LinkTo<Route>;
pub type Redirect = RedirectTo<Route>;
pub type Navigator = crate::router::Navigator<Route>;

/// The phone app's navigator.
#[hook]
pub fn use_navigator() -> Option<Navigator> {
    use_navigator_of::<Route>()
}

/// The phone app's current route.
#[hook]
pub fn use_route() -> Route {
    use_route_of::<Route>()
}

#[cfg(test)]
mod tests {
    use super::Route;
    use crate::router::Routable;

    #[test]
    fn every_route_reads_back_from_its_own_path() {
        let routes = [
            Route::Home,
            Route::Login,
            Route::NewVisit,
            Route::Placement { id: "abc".into() },
            Route::Workplaces,
            Route::Workplace { id: "abc".into() },
            Route::NewVisitFor { placement: "abc".into() },
        ];
        for route in routes {
            assert_eq!(Route::parse(&route.path()), route);
        }
        assert_eq!(Route::parse("/praksis/"), Route::NotFound);
        assert_eq!(Route::parse("/praksis/a/b"), Route::NotFound);
        assert_eq!(Route::parse("/finnes-ikke"), Route::NotFound);
        assert_eq!(Route::parse("/logg-inn/"), Route::Login);
    }
}
