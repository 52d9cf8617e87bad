//! A QR code drawn as SVG, for a mentor to scan from the advisor's screen.

use qrcodegen::{QrCode, QrCodeEcc};
use yew::prelude::*;

#[derive(Debug, PartialEq, Properties)]
pub struct QrCodeProps {
    pub text: String,
    /// What a screen reader says instead of the picture.
    pub label: AttrValue,
}

/// One SVG path of every dark module, with the four-module quiet zone the
/// standard asks for around it.
fn path_of(code: &QrCode) -> String {
    let mut path = String::new();
    for y in 0..code.size() {
        for x in 0..code.size() {
            if code.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + 4, y + 4));
            }
        }
    }
    path
}

#[function_component(QrCodeImage)]
pub fn qr_code_image(props: &QrCodeProps) -> Html {
    let Ok(code) = QrCode::encode_text(&props.text, QrCodeEcc::Medium) else {
        return html! {};
    };
    let side = code.size() + 8;
    html! {
        <svg class="qr" role="img" aria-label={props.label.clone()} viewBox={format!("0 0 {side} {side}")}
            shape-rendering="crispEdges">
            <rect width={side.to_string()} height={side.to_string()} fill="#fff" />
            <path d={path_of(&code)} fill="#000" />
        </svg>
    }
}
