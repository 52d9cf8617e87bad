//! `test-certificate FOLDER`: makes a test authority and a server
//! certificate for localhost, writes `ca.pem`, `cert.pem` and `key.pem`
//! into FOLDER, and prints the server key's SPKI hash for Chromium's
//! `--ignore-certificate-errors-spki-list`. Used by the browser tests.

fn main() {
    let Some(folder) = std::env::args().nth(1) else {
        eprintln!("usage: test-certificate FOLDER");
        std::process::exit(2);
    };
    let folder = std::path::Path::new(&folder);
    let ca = innom_tests::test_ca::TestCa::new();
    let certificate = ca.issue("Innom browser test");
    certificate.write_to(folder);
    std::fs::write(folder.join("ca.pem"), ca.certificate_pem()).expect("write ca.pem");
    println!("{}", certificate.spki_sha256);
}
