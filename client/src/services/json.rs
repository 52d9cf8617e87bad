//! JSON through the browser's own `JSON.parse` and `JSON.stringify`, with
//! serde-wasm-bindgen between JavaScript values and Rust types.
//!
//! Not `serde_json`: the browser already has a JSON parser, and
//! serde_json's error messages format floats through a 10 KB table of
//! powers of ten that gzip cannot shrink; leaving it out takes about 10 KB
//! off every app's download. The text on the wire and in localStorage is
//! the same JSON either way.

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

/// Why a value could not be read from or written as JSON.
#[derive(Debug)]
pub struct JsonError(pub String);

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<serde_wasm_bindgen::Error> for JsonError {
    fn from(e: serde_wasm_bindgen::Error) -> Self {
        Self(e.to_string())
    }
}

impl From<JsValue> for JsonError {
    fn from(e: JsValue) -> Self {
        // What `JSON.parse` throws: a SyntaxError with a message.
        use wasm_bindgen::JsCast;
        Self(e.dyn_ref::<js_sys::Error>().map_or_else(|| "not valid JSON".to_owned(), |e| e.message().into()))
    }
}

/// `value` as JSON text. Maps become objects and a `None` becomes
/// `null`, as serde_json writes them.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, JsonError> {
    let js = value.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?;
    js_sys::JSON::stringify(&js)?.as_string().ok_or_else(|| JsonError("not representable as JSON".into()))
}

/// Reads a `T` from JSON text.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    Ok(serde_wasm_bindgen::from_value(js_sys::JSON::parse(text)?)?)
}
