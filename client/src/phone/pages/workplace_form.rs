//! Creating and editing a workplace on the phone, offline too: name,
//! organisation number (checked as it is typed), address, industry, hiring
//! outlook, busy months, mapping notes and contacts. Saved like any
//! record; the shared validation has the last word.

use innom_shared::records::{Contact, HiringOutlook, Industry, MappingNotes, RecordKind, SCHEMA_VERSION, Workplace};
use innom_shared::sync::AnyRecord;
use innom_shared::values::{DocId, OrgNumber, OrgNumberError, Timestamp};
use yew::prelude::*;

use crate::browser::input_value;
use crate::hooks::use_sync::use_sync;
use crate::i18n::{Text, code, month};
use crate::phone::components::problem_line::problem_line;
use crate::phone::routes::{Link, Redirect, Route, use_navigator};
use crate::state::use_app;

#[derive(Debug, PartialEq, Properties)]
pub struct WorkplaceFormPageProps {
    /// The workplace to edit; none for a new one.
    #[prop_or_default]
    pub id: Option<String>,
}

/// Finds the workplace to edit (or starts a blank one) and shows the form.
#[function_component(WorkplaceFormPage)]
pub fn workplace_form_page(props: &WorkplaceFormPageProps) -> Html {
    let app = use_app();
    let sync = use_sync();
    let Some(session) = app.session.as_ref() else {
        return html! { <Redirect to={Route::Login} /> };
    };
    let Some(id) = &props.id else {
        return html! { <WorkplaceForm initial={blank(&session.user.username)} is_new=true /> };
    };
    let records = sync.engine.as_ref().map(|e| e.records()).unwrap_or_default();
    let id = DocId::parse(id);
    match records.into_iter().find_map(|r| match r.record {
        AnyRecord::Workplace(w) if Some(w.id) == id => Some(w),
        _ => None,
    }) {
        Some(workplace) => html! { <WorkplaceForm initial={workplace} is_new=false /> },
        None => html! {
            <section class="card">
                <h1>{ app.t(Text::NotFoundTitle) }</h1>
                <Link to={Route::Workplaces} classes="button">{ app.t(Text::WorkplacesHeading) }</Link>
            </section>
        },
    }
}

/// A new workplace with nothing filled in but who made it. Its
/// organisation number is a placeholder the form replaces: saving needs a
/// valid one typed in.
fn blank(username: &str) -> Workplace {
    Workplace {
        id: DocId::new_random(),
        kind: RecordKind::Workplace,
        schema_version: SCHEMA_VERSION,
        created_at: Timestamp(js_sys::Date::now() as i64),
        created_by: username.to_owned(),
        name: String::new(),
        org_number: OrgNumber::parse("000000000").unwrap_or_else(|_| unreachable!("nine zeros pass the check")),
        address: String::new(),
        industry: Industry::Other,
        contacts: Vec::new(),
        mapping: MappingNotes::default(),
        hiring_outlook: HiringOutlook::Unknown,
        peak_months: Vec::new(),
    }
}

/// What the typed organisation number is, for the message under the field.
fn org_number_text(typed: &str) -> Text {
    match OrgNumber::parse(typed) {
        Ok(_) => Text::OrgNumberValid,
        Err(_) if typed.trim().is_empty() => Text::OrgNumberHint,
        Err(OrgNumberError::NotNineDigits) => Text::OrgNumberNotNine,
        Err(OrgNumberError::BadCheckDigit) => Text::OrgNumberBadCheck,
    }
}

#[derive(Debug, PartialEq, Properties)]
struct WorkplaceFormProps {
    initial: Workplace,
    is_new: bool,
}

#[function_component(WorkplaceForm)]
fn workplace_form(props: &WorkplaceFormProps) -> Html {
    let app = use_app();
    let engine = use_sync().engine;
    let navigator = use_navigator();
    let draft = use_state(|| props.initial.clone());
    let org_typed = {
        let known = if props.is_new { String::new() } else { props.initial.org_number.grouped() };
        use_state(move || known)
    };
    let error = use_state(|| None::<String>);
    let name_missing = use_state(|| false);
    let busy = use_state(|| false);

    // Every field writes into the draft through one of these.
    let edit = |set: fn(&mut Workplace, String)| {
        let draft = draft.clone();
        Callback::from(move |event: InputEvent| {
            let mut changed = (*draft).clone();
            set(&mut changed, input_value(&event));
            draft.set(changed);
        })
    };
    let choose = |set: fn(&mut Workplace, &str)| {
        let draft = draft.clone();
        Callback::from(move |event: Event| {
            let mut changed = (*draft).clone();
            // A select's value, read the same way as an input's.
            set(&mut changed, &event.target_unchecked_into::<web_sys::HtmlInputElement>().value());
            draft.set(changed);
        })
    };
    let edit_contact = |index: usize, set: fn(&mut Contact, String)| {
        let draft = draft.clone();
        Callback::from(move |event: InputEvent| {
            let mut changed = (*draft).clone();
            if let Some(contact) = changed.contacts.get_mut(index) {
                set(contact, input_value(&event));
            }
            draft.set(changed);
        })
    };
    let on_org = {
        let org_typed = org_typed.clone();
        Callback::from(move |event: InputEvent| org_typed.set(input_value(&event)))
    };
    let add_contact = {
        let draft = draft.clone();
        Callback::from(move |_| {
            let mut changed = (*draft).clone();
            changed.contacts.push(Contact {
                id: DocId::new_random().to_string(),
                name: String::new(),
                role: String::new(),
                phone: String::new(),
                email: String::new(),
            });
            draft.set(changed);
        })
    };
    let onsubmit = {
        let (draft, org_typed, error, busy, app, name_missing) =
            (draft.clone(), org_typed.clone(), error.clone(), busy.clone(), app.clone(), name_missing.clone());
        let (engine, navigator) = (engine.clone(), navigator.clone());
        let (initial, is_new) = (props.initial.clone(), props.is_new);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            // Both fields are checked at once, so one try shows all that is missing.
            name_missing.set(draft.name.trim().is_empty());
            let org_number = OrgNumber::parse(&org_typed);
            if draft.name.trim().is_empty() || org_number.is_err() {
                let org_text = org_number.is_err().then(|| app.t(org_number_text(&org_typed)));
                return error.set(org_text.map(str::to_owned));
            }
            let Ok(org_number) = org_number else { return };
            let mut workplace = (*draft).clone();
            workplace.org_number = org_number;
            workplace.name = workplace.name.trim().to_owned();
            // A contact row left empty is not a contact.
            workplace.contacts.retain(|c| !(c.name.trim().is_empty() && c.phone.is_empty() && c.email.is_empty()));
            innom_shared::sorting::sort_by_key(&mut workplace.peak_months, |month| *month);
            let Some(engine) = engine.clone() else { return };
            // An edit goes onto the workplace as it is now, which a sync may
            // have changed since the form opened (`edits.rs`).
            if !is_new {
                let now = engine.records().into_iter().find_map(|r| match r.record {
                    AnyRecord::Workplace(w) if w.id == workplace.id => Some(w),
                    _ => None,
                });
                if let Some(mut now) = now {
                    now.apply_edit(&initial, &workplace);
                    workplace = now;
                }
            }
            let (error, busy, app, navigator) = (error.clone(), busy.clone(), app.clone(), navigator.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match engine.save(&workplace).await {
                    Ok(()) => {
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Workplace { id: workplace.id.to_string() });
                        }
                    }
                    Err(e) => error.set(Some(e.message(app.lang))),
                }
                busy.set(false);
            });
        })
    };

    let org_state = org_number_text(&org_typed);
    let org_invalid = matches!(org_state, Text::OrgNumberNotNine | Text::OrgNumberBadCheck);
    let month_box = |number: u8| {
        let draft = draft.clone();
        let checked = draft.peak_months.contains(&number);
        let onchange = Callback::from(move |_| {
            let mut changed = (*draft).clone();
            if let Some(at) = changed.peak_months.iter().position(|m| *m == number) {
                changed.peak_months.remove(at);
            } else {
                changed.peak_months.push(number);
            }
            draft.set(changed);
        });
        html! { <label class="choice"><input type="checkbox" {checked} {onchange} />{ month(app.lang, number) }</label> }
    };
    let contact_row = |index: usize, contact: &Contact| {
        let field = |name: &str, kind: &'static str, label: Text, value: &str, set: fn(&mut Contact, String)| {
            let id = format!("contact-{name}-{index}");
            html! {
                <>
                <label for={id.clone()}>{ app.t(label) }</label>
                <input {id} type={kind} value={value.to_owned()} oninput={edit_contact(index, set)} />
                </>
            }
        };
        let remove = {
            let draft = draft.clone();
            Callback::from(move |_| {
                let mut changed = (*draft).clone();
                if index < changed.contacts.len() {
                    changed.contacts.remove(index);
                }
                draft.set(changed);
            })
        };
        html! {
            <fieldset class="contact-row" key={contact.id.clone()}>
                <legend>{ format!("{} {}", app.t(Text::Contact), index + 1) }</legend>
                { field("name", "text", Text::ContactName, &contact.name, |c, v| c.name = v) }
                { field("role", "text", Text::ContactRole, &contact.role, |c, v| c.role = v) }
                { field("phone", "tel", Text::ContactPhone, &contact.phone, |c, v| c.phone = v.trim().to_owned()) }
                { field("email", "email", Text::ContactEmail, &contact.email, |c, v| c.email = v.trim().to_owned()) }
                <button type="button" class="button" onclick={remove}>{ app.t(Text::RemoveContact) }</button>
            </fieldset>
        }
    };
    let heading = if props.is_new { Text::NewWorkplace } else { Text::EditWorkplace };
    let back = if props.is_new { Route::Workplaces } else { Route::Workplace { id: draft.id.to_string() } };

    html! {
        <section class="card narrow">
            <h1>{ app.t(heading) }</h1>
            <form class="form" {onsubmit} novalidate=true>
                <label for="workplace-name">{ app.t(Text::WorkplaceName) }</label>
                <input id="workplace-name" type="text" required=true value={draft.name.clone()}
                    oninput={edit(|w, v| w.name = v)} aria-invalid={name_missing.to_string()}
                    aria-describedby="workplace-name-problem" />
                { problem_line(name_missing.then(|| app.t(Text::MissingWorkplaceName)), "workplace-name-problem") }
                <label for="org-number">{ app.t(Text::OrgNumberLabel) }</label>
                <input id="org-number" type="text" inputmode="numeric" autocomplete="off" maxlength="11"
                    value={(*org_typed).clone()} oninput={on_org} aria-describedby="org-number-state"
                    aria-invalid={org_invalid.to_string()} />
                <p id="org-number-state" class={classes!("field-state", org_invalid.then_some("error"))} aria-live="polite">
                    { app.t(org_state) }
                </p>
                <label for="workplace-address">{ app.t(Text::AddressLabel) }</label>
                <input id="workplace-address" type="text" value={draft.address.clone()}
                    oninput={edit(|w, v| w.address = v)} />
                <label for="workplace-industry">{ app.t(Text::Industry) }</label>
                <select id="workplace-industry" onchange={choose(|w, v| w.industry = Industry::parse(v).unwrap_or(Industry::Other))}>
                    { for Industry::ALL.iter().map(|industry| html! {
                        <option value={industry.as_str()} selected={*industry == draft.industry}>
                            { code(app.lang, industry.as_str()) }
                        </option>
                    }) }
                </select>
                <label for="workplace-outlook">{ app.t(Text::HiringOutlook) }</label>
                <select id="workplace-outlook"
                    onchange={choose(|w, v| w.hiring_outlook = HiringOutlook::parse(v).unwrap_or(HiringOutlook::Unknown))}>
                    { for HiringOutlook::ALL.iter().map(|outlook| html! {
                        <option value={outlook.as_str()} selected={*outlook == draft.hiring_outlook}>
                            { code(app.lang, outlook.as_str()) }
                        </option>
                    }) }
                </select>
                <fieldset class="choices">
                    <legend>{ app.t(Text::PeakMonths) }</legend>
                    { for (1..=12).map(month_box) }
                </fieldset>
                <label for="workplace-needs">{ app.t(Text::Needs) }</label>
                <textarea id="workplace-needs" rows="2" value={draft.mapping.needs.clone()}
                    oninput={edit(|w, v| w.mapping.needs = v)} />
                <label for="workplace-requirements">{ app.t(Text::Requirements) }</label>
                <textarea id="workplace-requirements" rows="2" value={draft.mapping.requirements.clone()}
                    oninput={edit(|w, v| w.mapping.requirements = v)} />
                <label for="workplace-safety">{ app.t(Text::SafetyRoutines) }</label>
                <textarea id="workplace-safety" rows="2" value={draft.mapping.safety_routines.clone()}
                    oninput={edit(|w, v| w.mapping.safety_routines = v)} />
                { for draft.contacts.iter().enumerate().map(|(index, contact)| contact_row(index, contact)) }
                <button type="button" class="button" onclick={add_contact}>{ app.t(Text::AddContact) }</button>
                if let Some(message) = &*error {
                    <p class="error" role="alert">{ message }</p>
                }
                <button type="submit" class="button button-primary" disabled={*busy}>
                    { if *busy { app.t(Text::Saving) } else { app.t(Text::Save) } }
                </button>
                <Link to={back} classes="button">{ app.t(Text::Cancel) }</Link>
            </form>
        </section>
    }
}
