//! CSV exports: a round trip through a CSV parser recovers every field,
//! Norwegian letters, quotes, semicolons, commas and line breaks included;
//! only office staff may export.

use innom_shared::document;
use innom_shared::sync::DeviceSync;
use innom_shared::values::DocId;
use innom_tests::fixtures::{participant, placement, visit, workplace};
use innom_tests::{AddRecord, PASSWORD, id, spawn_app};

const WORKPLACE: u128 = 0x71;
const PARTICIPANT: u128 = 0x72;
const PLACEMENT: u128 = 0x73;
const VISIT: u128 = 0x74;

/// A name and a summary with everything a CSV file can trip on.
const AWKWARD_NAME: &str = "Bakeriet «Ærlig» AS; \"Brød\", kaker\nog kaffe på Økern";
const AWKWARD_SUMMARY: &str = "Første linje, med komma.\r\nAndre linje; semikolon og \"sitat\".\nTredje: æøå ÆØÅ";

/// Parses a CSV export: checks the byte-order mark, returns the rows.
fn parse(body: &[u8]) -> Vec<Vec<String>> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").expect("a UTF-8 byte-order mark for Excel");
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|r| r.expect("a valid CSV record").iter().map(str::to_owned).collect())
        .collect()
}

/// The value in `column` of the row whose first field is `id`.
fn field(rows: &[Vec<String>], id: DocId, column: &str) -> String {
    let at = rows[0].iter().position(|c| c == column).unwrap_or_else(|| panic!("no column {column}: {:?}", rows[0]));
    let row = rows.iter().find(|r| r[0] == id.to_string()).expect("the record's row");
    assert_eq!(row.len(), rows[0].len(), "every row has every column");
    row[at].clone()
}

#[tokio::test]
async fn every_field_survives_a_round_trip_through_a_csv_parser() {
    let app = spawn_app().await;
    let (kari, sofie) = app.kari_and_sofie(PASSWORD).await;

    let mut place = workplace(id(WORKPLACE));
    place.name = AWKWARD_NAME.into();
    let mut person = participant(id(PARTICIPANT));
    person.display_name = "Øyvind Åsheim-Løvås".into();
    let mut about = visit(id(VISIT));
    about.workplace = id(WORKPLACE);
    about.placements = vec![id(PLACEMENT)];
    about.summary = AWKWARD_SUMMARY.into();
    about.met = "=HYPERLINK(\"http://example.com\")".into();
    let mut phone = DeviceSync::default();
    phone.add_record(id(WORKPLACE), &place);
    phone.add_record(id(PARTICIPANT), &person);
    let mut plan = placement(id(PLACEMENT), id(PARTICIPANT), id(WORKPLACE), "2027-03-01");
    plan.mentor.phone = "+47 412 34 567".into();
    phone.add_record(id(PLACEMENT), &plan);
    phone.add_record(id(VISIT), &about);
    app.sync_device(&kari, &mut phone).await;
    assert!(!phone.has_unconfirmed());

    let response = app.get("/api/exports/visits.csv", Some(&sofie)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    let disposition = response.headers()["content-disposition"].to_str().expect("ascii").to_owned();
    assert!(disposition.starts_with("attachment; filename=\"innom-besok-"), "{disposition}");
    let rows = parse(&response.bytes().await.expect("body"));
    assert_eq!(rows.len(), 2, "a header and one visit");
    assert_eq!(field(&rows, id(VISIT), "Oppsummering"), AWKWARD_SUMMARY);
    assert_eq!(field(&rows, id(VISIT), "Arbeidsplass"), AWKWARD_NAME);
    assert_eq!(field(&rows, id(VISIT), "Deltakere"), "Øyvind Åsheim-Løvås");
    // Codes in Norwegian words, the advisor by name, as in every export.
    assert_eq!(field(&rows, id(VISIT), "Type"), "Stikke innom");
    assert_eq!(field(&rows, id(VISIT), "Status"), "Grønn");
    assert_eq!(field(&rows, id(VISIT), "Vurdering"), "Ikke gjennomgått");
    assert_eq!(field(&rows, id(VISIT), "Rådgiver"), "kari display");
    // A formula is shown as text, not run.
    assert_eq!(field(&rows, id(VISIT), "Møtte"), "'=HYPERLINK(\"http://example.com\")");

    let rows = parse(&app.get("/api/exports/workplaces.csv", Some(&sofie)).await.bytes().await.expect("body"));
    assert_eq!(field(&rows, id(WORKPLACE), "Navn"), AWKWARD_NAME);
    assert_eq!(field(&rows, id(WORKPLACE), "Organisasjonsnummer"), place.org_number.as_str());

    let rows = parse(&app.get("/api/exports/placements.csv", Some(&sofie)).await.bytes().await.expect("body"));
    assert_eq!(field(&rows, id(PLACEMENT), "Deltaker"), "Øyvind Åsheim-Løvås");
    assert_eq!(field(&rows, id(PLACEMENT), "Planlagt slutt"), "2027-03-01");
    assert_eq!(field(&rows, id(PLACEMENT), "Oppgaver mestret"), "1 av 2");
    assert_eq!(field(&rows, id(PLACEMENT), "Rådgiver"), "kari display");
    assert_eq!(field(&rows, id(PLACEMENT), "Status"), "Aktiv");
    // A phone number needs no visible apostrophe: `+47` is written `0047`.
    assert_eq!(field(&rows, id(PLACEMENT), "Fadders telefon"), "0047 412 34 567");
    assert!(!field(&rows, id(PLACEMENT), "Fadders telefon").starts_with('\''));

    let rows = parse(&app.get("/api/exports/participants.csv", Some(&sofie)).await.bytes().await.expect("body"));
    assert_eq!(field(&rows, id(PARTICIPANT), "Navn"), "Øyvind Åsheim-Løvås");
    assert_eq!(field(&rows, id(PARTICIPANT), "Rådgiver"), "kari display");

    let rows = parse(&app.get("/api/exports/feedback.csv", Some(&sofie)).await.bytes().await.expect("body"));
    assert_eq!(rows.len(), 1, "only the header: no feedback yet");
    assert_eq!(rows[0][0], "ID");
}

#[tokio::test]
async fn only_office_staff_may_export() {
    let app = spawn_app().await;
    let (kari, sofie) = app.kari_and_sofie(PASSWORD).await;
    assert_eq!(app.get("/api/exports/visits.csv", Some(&kari)).await.status(), 403);
    assert_eq!(app.get("/api/exports/visits.csv", None).await.status(), 401);
    assert_eq!(app.get("/api/exports/secrets.csv", Some(&sofie)).await.status(), 404);
    assert_eq!(app.get("/api/exports/visits.json", Some(&sofie)).await.status(), 404);
}

#[tokio::test]
async fn an_export_longer_than_a_page_has_every_row_once_oldest_first_and_names_as_they_are_now() {
    let app = spawn_app().await;
    let (kari, sofie) = app.kari_and_sofie(PASSWORD).await;
    // 2,345 participants: more than two pages of 1,000 rows.
    let mut phone = DeviceSync::default();
    for n in 0..2_345u128 {
        let mut person = participant(id(0x10_000 + n));
        person.display_name = format!("Deltaker {n}");
        person.created_at = innom_shared::values::Timestamp(1_700_000_000_000 + i64::try_from(n).expect("small"));
        phone.add_record(id(0x10_000 + n), &person);
    }
    phone.add_record(id(WORKPLACE), &workplace(id(WORKPLACE)));
    let plan = placement(id(PLACEMENT), id(0x10_000), id(WORKPLACE), "2027-03-01");
    phone.add_record(id(PLACEMENT), &plan);
    while phone.has_unconfirmed() {
        app.sync_device(&kari, &mut phone).await;
    }

    let rows = parse(&app.get("/api/exports/participants.csv", Some(&sofie)).await.bytes().await.expect("body"));
    assert_eq!(rows.len(), 1 + 2_345, "a header and every participant");
    let names: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
    let expected: Vec<String> = (0..2_345).map(|n| format!("Deltaker {n}")).collect();
    assert_eq!(names, expected, "each once, oldest first");

    // Renaming the workplace renames it in the placements' export too.
    let doc = phone.doc_mut(id(WORKPLACE)).expect("the workplace");
    let mut renamed: innom_shared::records::Workplace = document::read(doc).expect("a workplace");
    renamed.name = "Nytt navn AS".into();
    document::write(doc, &renamed).expect("write");
    app.sync_device(&kari, &mut phone).await;
    let rows = parse(&app.get("/api/exports/placements.csv", Some(&sofie)).await.bytes().await.expect("body"));
    assert_eq!(field(&rows, id(PLACEMENT), "Arbeidsplass"), "Nytt navn AS");
    assert_eq!(field(&rows, id(PLACEMENT), "Deltaker"), "Deltaker 0");
}
