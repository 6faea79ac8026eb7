//! Writes the embedded form of the provider catalogues into `OUT_DIR`: the committed files of
//! `data/` keep every source note (what the catalogue is, where each entry comes from, what was
//! left out and why), but nothing at run time reads that prose, and in the playground's wasm it
//! cost 7.2 KB gzip. So the engine embeds a minified copy without it; tests read the committed
//! files and check that the embedded catalogue holds the same entries.

use std::error::Error;
use std::path::Path;

/// A catalogue file, the top-level keys left out, and per-entry keys left out of an array.
struct Embedded {
    name: &'static str,
    top_level: &'static [&'static str],
    entries: &'static [(&'static str, &'static [&'static str])],
}

const CATALOGUES: [Embedded; 3] = [
    Embedded {
        name: "exoscale-catalog",
        top_level: &["about", "source", "notes", "sos_s3_operations_notes", "unmatched_source_operation_names"],
        entries: &[],
    },
    Embedded {
        name: "scaleway-permission-sets",
        top_level: &["sources", "notes", "containment_notes"],
        entries: &[("containment", &["source", "note"]), ("permission_sets", &["product_evidence"])],
    },
    Embedded {
        name: "outscale-actions",
        top_level: &["about", "sources", "notes", "other_prefixes_observed"],
        entries: &[("services", &["service", "source", "completeness"])],
    },
];

fn main() -> Result<(), Box<dyn Error>> {
    let out = std::env::var("OUT_DIR")?;
    for catalogue in &CATALOGUES {
        let path = format!("data/{}.json", catalogue.name);
        println!("cargo:rerun-if-changed={path}");
        let mut value: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
        let root = value.as_object_mut().ok_or("a catalogue is an object")?;
        for key in catalogue.top_level {
            root.remove(*key);
        }
        for (array, keys) in catalogue.entries {
            for entry in root.get_mut(*array).and_then(serde_json::Value::as_array_mut).into_iter().flatten() {
                if let Some(entry) = entry.as_object_mut() {
                    for key in *keys {
                        entry.remove(*key);
                    }
                }
            }
        }
        std::fs::write(Path::new(&out).join(format!("{}.json", catalogue.name)), serde_json::to_string(&value)?)?;
    }
    println!("cargo:rerun-if-changed=build.rs");
    Ok(())
}
