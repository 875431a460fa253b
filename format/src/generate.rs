//! What is written from the registry of kinds rather than by hand (`cargo xtask gen` writes it,
//! `cargo xtask gen --check` fails when a committed copy differs): the JSON Schema of the file
//! format, the field tables of `docs/scenario-format.md`, the spec declarations of the npm
//! package's `types.d.ts`, and the embed preview's table of kinds. A field added to the registry
//! shows up in all four with no other edit.
//!
//! Each function takes the [`Registry`] to write from, so a test can add a field to a copy of it.

use crate::kinds::{self, FieldInfo, KindInfo, Need, Registry, Slot, Ty};
use crate::scenario::{Comparison, GoalMetric, Op, WireMode, FAULT_KINDS, SCENARIO_VERSION};
use serde_json::{json, Map, Value};

/// A number as the docs write it: whole numbers without a point, thousands grouped.
fn number(x: f64) -> String {
    if x.fract() != 0.0 || x.abs() >= 1e15 {
        return format!("{x}");
    }
    let digits = format!("{}", x.abs() as u64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if x < 0.0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A JSON number for a schema: whole numbers as integers.
fn json_number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        Value::from(x as i64)
    } else {
        Value::from(x)
    }
}

/// The kind's example as a JSON tree (`{}` if it does not parse, which a test forbids).
fn example_of(kind: &KindInfo) -> Value {
    serde_json::from_str(kind.example).unwrap_or_else(|_| json!({}))
}

// ---------------------------------------------------------------------------------------------
// JSON Schema

/// The schema of one field's value.
fn field_schema(reg: &Registry, kind: &str, slot: &Slot, example: Option<&Value>) -> Value {
    let Some(info) = reg.field(kind, slot.name) else {
        return json!({});
    };
    let mut schema = match info.ty {
        Ty::Number | Ty::Whole => {
            let mut m = Map::new();
            let ty = if info.ty == Ty::Whole {
                "integer"
            } else {
                "number"
            };
            m.insert("type".into(), Value::from(ty));
            if let Some((min, max)) = info.range {
                m.insert("minimum".into(), json_number(min));
                m.insert("maximum".into(), json_number(max));
            }
            Value::Object(m)
        }
        Ty::Bool => json!({ "type": "boolean" }),
        Ty::Word => json!({ "enum": info.choices }),
        Ty::Dist => json!({ "$ref": "#/$defs/dist" }),
        Ty::Object(inner) => object_schema(reg, kind, inner, example),
        Ty::List(inner) => {
            let first = example.and_then(|e| e.get(0));
            json!({ "type": "array", "items": object_schema(reg, kind, inner, first) })
        }
    };
    if slot.need == Need::Off {
        schema = json!({ "anyOf": [schema, { "type": "null" }] });
    }
    let unit = if info.unit.is_empty() {
        String::new()
    } else {
        format!(" ({})", info.unit)
    };
    schema["description"] = Value::from(format!("{}{unit}", info.help));
    if let Need::Default(text) = slot.need {
        if let Ok(v) = serde_json::from_str::<Value>(text) {
            schema["default"] = v;
        }
    }
    if let Some(e) = example {
        schema["examples"] = json!([e]);
    }
    schema
}

/// An object with the fields `slots` lists, nothing else.
fn object_schema(reg: &Registry, kind: &str, slots: &[Slot], example: Option<&Value>) -> Value {
    let mut properties = Map::new();
    for slot in slots {
        let e = example.and_then(|e| e.get(slot.name));
        properties.insert(slot.name.into(), field_schema(reg, kind, slot, e));
    }
    let required: Vec<&str> = slots
        .iter()
        .filter(|s| s.need == Need::Required)
        .map(|s| s.name)
        .collect();
    json!({ "type": "object", "properties": properties, "required": required,
            "additionalProperties": false })
}

/// The JSON Schema (draft 2020-12) of a scenario file, for editors that validate and complete.
pub fn json_schema(reg: &Registry) -> String {
    let mut defs = Map::new();
    let kinds: Vec<&str> = reg.kinds.iter().map(|k| k.name).collect();
    let mut branches = Vec::new();
    for k in reg.kinds {
        let example = example_of(k);
        let mut spec = object_schema(reg, k.name, k.fields, Some(&example));
        spec["properties"]["kind"] = json!({ "const": k.name });
        let mut required = vec![Value::from("kind")];
        required.extend(spec["required"].as_array().cloned().unwrap_or_default());
        spec["required"] = Value::Array(required);
        spec["description"] = Value::from(k.description);
        defs.insert(format!("spec_{}", k.name), spec);
        branches.push(json!({
            "if": { "properties": { "kind": { "const": k.name } } },
            "then": { "$ref": format!("#/$defs/spec_{}", k.name) }
        }));
    }
    defs.insert(
        "spec".into(),
        json!({ "type": "object", "required": ["kind"],
                "properties": { "kind": { "enum": kinds, "description": "The component's kind." } },
                "allOf": branches }),
    );
    let dists: Vec<Value> = kinds::DISTS
        .iter()
        .map(|(name, slots)| {
            let mut d = object_schema(reg, "", slots, None);
            d["properties"]["dist"] = json!({ "const": name });
            let mut required = vec![Value::from("dist")];
            required.extend(d["required"].as_array().cloned().unwrap_or_default());
            d["required"] = Value::Array(required);
            d
        })
        .collect();
    defs.insert(
        "dist".into(),
        json!({ "description": "A distribution of durations in milliseconds.", "oneOf": dists }),
    );
    let id = json!({ "type": "string", "minLength": 1, "maxLength": 64 });
    defs.insert(
        "component".into(),
        json!({ "type": "object", "required": ["id", "spec"], "additionalProperties": false,
                "properties": {
                    "id": id, "name": { "type": "string" },
                    "x": { "type": "number" }, "y": { "type": "number" },
                    "spec": { "$ref": "#/$defs/spec" } } }),
    );
    defs.insert(
        "wire".into(),
        json!({ "type": "object", "required": ["from", "to"], "additionalProperties": false,
                "properties": {
                    "from": { "type": "string" }, "to": { "type": "string" },
                    "mode": { "enum": WireMode::WORDS, "default": "sync" },
                    "ops": { "type": "array", "items": { "enum": Op::WORDS } },
                    "optional": { "type": "boolean", "default": false } } }),
    );
    defs.insert(
        "fault".into(),
        json!({ "type": "object", "required": ["at_s", "fault"], "additionalProperties": false,
                "properties": {
                    "at_s": { "type": "number", "minimum": 0 },
                    "duration_s": { "type": ["number", "null"] },
                    "fault": { "type": "object", "required": ["kind"],
                               "properties": { "kind": { "enum": FAULT_KINDS } } } } }),
    );
    defs.insert(
        "goal".into(),
        json!({ "type": "object", "required": ["label", "metric", "compare", "target"],
                "additionalProperties": false,
                "properties": {
                    "label": { "type": "string" },
                    "component": { "type": ["string", "null"] },
                    "metric": { "enum": GoalMetric::WORDS },
                    "compare": { "enum": Comparison::WORDS },
                    "target": { "type": "number" },
                    "from_s": { "type": "number", "minimum": 0 },
                    "to_s": { "type": ["number", "null"] } } }),
    );
    defs.insert(
        "lock".into(),
        json!({ "type": "object", "required": ["path", "value"], "additionalProperties": false,
                "properties": {
                    "path": { "type": "string" }, "value": {}, "why": { "type": "string" } } }),
    );
    let list =
        |def: &str| json!({ "type": "array", "items": { "$ref": format!("#/$defs/{def}") } });
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "A system-design playground scenario",
        "description": "Written from the registry of kinds by `cargo xtask gen`; docs/scenario-format.md explains every field.",
        "type": "object",
        "required": ["version", "duration_s", "components"],
        "additionalProperties": false,
        "properties": {
            "$schema": { "type": "string", "description": "This schema's address, for editors." },
            "version": { "const": SCENARIO_VERSION },
            "name": { "type": "string" },
            "seed": { "type": "integer", "minimum": 0 },
            "duration_s": { "type": "number", "exclusiveMinimum": 0 },
            "window_ms": { "type": "number", "minimum": 1, "maximum": 60000, "default": 100 },
            "trace_every": { "type": "integer", "minimum": 0, "default": 50 },
            "access_log_every": { "type": "integer", "minimum": 0, "default": 20 },
            "components": list("component"),
            "wires": list("wire"),
            "faults": list("fault"),
            "goals": list("goal"),
            "locked": list("lock")
        },
        "$defs": defs
    });
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

// ---------------------------------------------------------------------------------------------
// docs/scenario-format.md

/// One row per field of `slots`, nested objects' fields under their parent's name.
fn doc_rows(reg: &Registry, kind: &str, prefix: &str, slots: &[Slot], out: &mut Vec<String>) {
    for slot in slots {
        let Some(info) = reg.field(kind, slot.name) else {
            continue;
        };
        let name = format!("{prefix}{}", slot.name);
        let ty = match info.ty {
            Ty::Number => "number".to_string(),
            Ty::Whole => "whole number".to_string(),
            Ty::Bool => "`true` or `false`".to_string(),
            Ty::Word => info
                .choices
                .iter()
                .map(|c| format!("`\"{c}\"`"))
                .collect::<Vec<_>>()
                .join(", "),
            Ty::Dist => "a distribution".to_string(),
            Ty::Object(_) => "an object (below)".to_string(),
            Ty::List(_) => "a list of objects (below)".to_string(),
        };
        let range = match (info.range, info.unit) {
            // A unit that is itself a range ("0–1") says nothing the range does not.
            (Some((lo, hi)), unit) if unit.is_empty() || unit.contains('–') => {
                format!("{} to {}", number(lo), number(hi))
            }
            (Some((lo, hi)), unit) => format!("{} to {} {unit}", number(lo), number(hi)),
            (None, _) => String::new(),
        };
        let default = match slot.need {
            Need::Required => "required".to_string(),
            Need::Off => "off".to_string(),
            Need::Default(text) => format!("`{text}`"),
        };
        out.push(format!(
            "| `{name}` | {ty} | {default} | {range} | {} |",
            info.help.replace('|', "\\|")
        ));
        if let Ty::Object(inner) | Ty::List(inner) = info.ty {
            let nested = if matches!(info.ty, Ty::List(_)) {
                format!("{name}[].")
            } else {
                format!("{name}.")
            };
            doc_rows(reg, kind, &nested, inner, out);
        }
    }
}

/// The field table of each kind, keyed by the kind's name.
pub fn doc_tables<'a>(reg: &Registry<'a>) -> Vec<(&'a str, String)> {
    reg.kinds
        .iter()
        .map(|k| {
            let mut lines = vec![
                "| field | takes | when left out | range | what it does |".to_string(),
                "|---|---|---|---|---|".to_string(),
            ];
            doc_rows(reg, k.name, "", k.fields, &mut lines);
            if k.fields.is_empty() {
                lines = vec!["No fields.".to_string()];
            }
            (k.name, lines.join("\n") + "\n")
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// js/src/types.d.ts

/// The TypeScript name of a kind's spec (`load_balancer` is `LoadBalancerSpec`).
fn ts_name(kind: &str) -> String {
    let mut out = String::new();
    for part in kind.split('_') {
        let mut chars = part.chars();
        if let Some(c) = chars.next() {
            out.push(c.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    out + "Spec"
}

/// Nested objects the npm package's types name (its users import these names).
const TS_NAMED: [(&str, &str); 2] = [("retry", "RetryPolicy"), ("autoscale", "AutoscaleSpec")];

/// The TypeScript type of one field's value.
fn ts_type(reg: &Registry, kind: &str, info: &FieldInfo, indent: &str) -> String {
    match info.ty {
        Ty::Number | Ty::Whole => "number".into(),
        Ty::Bool => "boolean".into(),
        Ty::Word if info.name == "op" => "Op".into(),
        Ty::Word => info
            .choices
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(" | "),
        Ty::Dist => "Dist".into(),
        Ty::Object(_) if TS_NAMED.iter().any(|(f, _)| *f == info.name) => TS_NAMED
            .iter()
            .find(|(f, _)| *f == info.name)
            .map_or_else(String::new, |(_, n)| n.to_string()),
        Ty::Object(inner) => ts_object(reg, kind, inner, indent),
        Ty::List(inner) => format!("{}[]", ts_object(reg, kind, inner, indent)),
    }
}

/// An object type with the fields `slots` lists, each with its help as a comment.
fn ts_object(reg: &Registry, kind: &str, slots: &[Slot], indent: &str) -> String {
    let inner = format!("{indent}  ");
    let mut out = String::from("{\n");
    for slot in slots {
        let Some(info) = reg.field(kind, slot.name) else {
            continue;
        };
        let ty = ts_type(reg, kind, info, &inner);
        let (optional, null) = match slot.need {
            Need::Required => ("", ""),
            Need::Default(_) => ("?", ""),
            Need::Off => ("?", " | null"),
        };
        out += &format!("{inner}/** {} */\n", info.help.replace("*/", "* /"));
        out += &format!("{inner}{}{optional}: {ty}{null};\n", slot.name);
    }
    out + indent + "}"
}

/// The spec declarations: `ComponentSpec`, `ComponentKind`, `Op`, `Dist` and one interface per
/// kind.
pub fn typescript(reg: &Registry) -> String {
    let mut out = String::from("export type ComponentSpec =\n");
    for k in reg.kinds {
        out += &format!("  | ({{ kind: \"{}\" }} & {})\n", k.name, ts_name(k.name));
    }
    out = out.trim_end().to_string() + ";\n\n";
    out += "export type ComponentKind = ComponentSpec[\"kind\"];\n";
    let ops = Op::WORDS
        .iter()
        .map(|w| format!("\"{w}\""))
        .collect::<Vec<_>>();
    out += &format!("export type Op = {};\n\n", ops.join(" | "));
    out += "/** Durations in milliseconds: constant, exponential or lognormal. */\nexport type Dist =\n";
    for (name, slots) in kinds::DISTS {
        let fields: Vec<String> = slots
            .iter()
            .map(|s| format!("{}: number", s.name))
            .collect();
        out += &format!("  | {{ dist: \"{name}\"; {} }}\n", fields.join("; "));
    }
    out = out.trim_end().to_string() + ";\n";
    for k in reg.kinds {
        out += &format!(
            "\n/** {} */\nexport interface {} {}\n",
            k.description,
            ts_name(k.name),
            ts_object(reg, k.name, k.fields, "")
        );
    }
    for (field, name) in TS_NAMED {
        if let Some(FieldInfo {
            ty: Ty::Object(inner),
            help,
            ..
        }) = reg.field("", field)
        {
            out += &format!(
                "\n/** {help} */\nexport interface {name} {}\n",
                ts_object(reg, "", inner, "")
            );
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// static/embed-frame.js

/// The preview's table of kinds: `name: ['Label', 'Letters'],` a line each.
pub fn embed_kinds(reg: &Registry) -> String {
    let quote = |t: &str| t.replace('\\', "\\\\").replace('\'', "\\'");
    let lines: Vec<String> = reg
        .kinds
        .iter()
        .map(|k| {
            format!(
                "    {}: ['{}', '{}']",
                k.name,
                quote(k.label),
                quote(k.letter)
            )
        })
        .collect();
    lines.join(",\n") + "\n"
}

// ---------------------------------------------------------------------------------------------
// Regions of committed files

/// A generated part of a committed file: the file, the markers around it, and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    /// The file, from the repository's root.
    pub file: &'static str,
    /// The line that opens the region (the line that closes it is `end`).
    pub begin: String,
    /// The line that closes it.
    pub end: String,
    /// What goes between them.
    pub text: String,
}

/// Every generated region; a file generated whole has empty markers.
pub fn regions(reg: &Registry) -> Vec<Region> {
    let mut out = vec![
        Region {
            file: "schema/scenario.schema.json",
            begin: String::new(),
            end: String::new(),
            text: json_schema(reg),
        },
        Region {
            file: "js/src/types.d.ts",
            begin: "// generated from the registry of kinds by `cargo xtask gen`: specs".into(),
            end: "// end of generated specs".into(),
            text: typescript(reg),
        },
        Region {
            file: "static/embed-frame.js",
            begin: "  var KINDS = { // generated from the registry of kinds by `cargo xtask gen`"
                .into(),
            end: "  }; // end of generated kinds".into(),
            text: embed_kinds(reg),
        },
    ];
    for (kind, table) in doc_tables(reg) {
        out.push(Region {
            file: "docs/scenario-format.md",
            begin: format!("<!-- fields of {kind}: generated by `cargo xtask gen` -->"),
            end: format!("<!-- end of the fields of {kind} -->"),
            text: table,
        });
    }
    out
}

/// `current` with `region` written in, or what is wrong with its markers.
pub fn splice(current: &str, region: &Region) -> Result<String, String> {
    if region.begin.is_empty() {
        return Ok(region.text.clone());
    }
    let missing = |marker: &str| format!("{}: no line `{marker}`", region.file);
    let start = current
        .find(&region.begin)
        .ok_or_else(|| missing(&region.begin))?;
    let body = start + region.begin.len();
    let body = current[body..]
        .find('\n')
        .map_or(current.len(), |i| body + i + 1);
    let end = current[body..]
        .find(&region.end)
        .map(|i| body + i)
        .ok_or_else(|| missing(&region.end))?;
    // The closing marker starts its own line.
    let end = current[..end].rfind('\n').map_or(end, |i| i + 1).max(body);
    Ok(format!(
        "{}{}{}",
        &current[..body],
        region.text,
        &current[end..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::{FieldInfo, Ty, FIELDS, KIND_INFO};

    #[test]
    fn numbers_read_as_the_docs_write_them() {
        assert_eq!(number(10_000.0), "10,000");
        assert_eq!(number(0.05), "0.05");
        assert_eq!(number(1e9), "1,000,000,000");
        assert_eq!(number(-3.0), "-3");
    }

    #[test]
    fn a_region_replaces_only_what_is_between_its_markers() {
        let region = Region {
            file: "x",
            begin: "<!-- a -->".into(),
            end: "<!-- /a -->".into(),
            text: "new\n".into(),
        };
        let text = "before\n<!-- a -->\nold\nlines\n<!-- /a -->\nafter\n";
        assert_eq!(
            splice(text, &region).as_deref(),
            Ok("before\n<!-- a -->\nnew\n<!-- /a -->\nafter\n")
        );
        assert!(splice("no markers", &region).is_err_and(|e| e.contains("<!-- a -->")));
    }

    /// A field added to the registry only (its entry and its slot on one kind) appears in the
    /// schema, the docs' table and the TypeScript declarations.
    #[test]
    fn a_field_added_only_to_the_registry_shows_up_in_every_generated_file() {
        let field = FieldInfo {
            name: "brownout_ratio",
            ty: Ty::Number,
            unit: "0–1",
            help: "The share of optional work it drops when busy.",
            choices: &[],
            when_on: None,
            range: Some((0.0, 1.0)),
        };
        let fields: &'static [FieldInfo] = Box::leak(
            FIELDS
                .iter()
                .copied()
                .chain([field])
                .collect::<Vec<_>>()
                .into_boxed_slice(),
        );
        let mut kinds = KIND_INFO;
        let service = kinds
            .iter_mut()
            .find(|k| k.name == "service")
            .expect("a service");
        let slots = service
            .fields
            .iter()
            .copied()
            .chain([Slot {
                name: "brownout_ratio",
                need: Need::Default("0"),
            }])
            .collect::<Vec<_>>();
        service.fields = Box::leak(slots.into_boxed_slice());
        let reg = Registry {
            kinds: &kinds,
            fields,
        };

        let schema: Value = serde_json::from_str(&json_schema(&reg)).expect("JSON");
        let added = &schema["$defs"]["spec_service"]["properties"]["brownout_ratio"];
        assert_eq!(added["type"], "number");
        assert_eq!(
            (added["minimum"].clone(), added["maximum"].clone()),
            (json!(0), json!(1))
        );
        assert_eq!(added["default"], json!(0));
        let before: Value = serde_json::from_str(&json_schema(&Registry::BUILT_IN)).expect("JSON");
        assert!(before["$defs"]["spec_service"]["properties"]["brownout_ratio"].is_null());

        let docs = doc_tables(&reg);
        let service_table = &docs
            .iter()
            .find(|(k, _)| *k == "service")
            .expect("a table")
            .1;
        assert!(
            service_table.contains("| `brownout_ratio` | number | `0` | 0 to 1 | The share"),
            "{service_table}"
        );
        let ts = typescript(&reg);
        assert!(ts.contains("  brownout_ratio?: number;"), "{ts}");
        assert!(!typescript(&Registry::BUILT_IN).contains("brownout_ratio"));
    }

    #[test]
    fn the_schema_says_what_the_reader_accepts_for_every_kind() {
        let schema: Value = serde_json::from_str(&json_schema(&Registry::BUILT_IN)).expect("JSON");
        for k in KIND_INFO {
            let spec = &schema["$defs"][format!("spec_{}", k.name)];
            let props = spec["properties"].as_object().expect("properties");
            // Every field the registry lists, and the tag.
            assert_eq!(props.len(), k.fields.len() + 1, "{}", k.name);
            let required: Vec<&str> = spec["required"]
                .as_array()
                .expect("required")
                .iter()
                .filter_map(Value::as_str)
                .collect();
            for slot in k.fields {
                assert_eq!(
                    required.contains(&slot.name),
                    slot.need == Need::Required,
                    "{}.{}",
                    k.name,
                    slot.name
                );
            }
        }
        assert_eq!(schema["properties"]["version"]["const"], SCENARIO_VERSION);
    }
}
