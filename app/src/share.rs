//! Share links: the scenario (seed included) as compressed JSON in the URL's fragment, so a link
//! opens to the same state and nothing is ever sent to a server.
//!
//! Decoding is untrusted input: every failure becomes a sentence, and the inflated size is
//! capped so a crafted link cannot exhaust memory.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use engine::Scenario;

/// The fragment key a share link uses: `#s=...`.
pub const FRAGMENT_KEY: &str = "s=";
/// The largest scenario a link may inflate to.
const MAX_INFLATED: usize = 2 * 1024 * 1024;

/// The fragment (without `#`) that carries `scenario`.
pub fn encode(scenario: &Scenario) -> String {
    let json = minify(&scenario.to_json());
    let packed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9);
    format!("{FRAGMENT_KEY}{}", URL_SAFE_NO_PAD.encode(packed))
}

/// `json` without the whitespace between tokens; strings are kept as they are. Links are built
/// from the pretty form so that the bundle carries one JSON serialiser for scenarios, not two.
fn minify(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_ascii_whitespace() {
            out.push(c);
        }
    }
    out
}

/// The scenario a fragment carries, or a sentence saying what is wrong with the link.
pub fn decode(fragment: &str) -> Result<Scenario, String> {
    let fragment = fragment.trim_start_matches('#');
    let payload = fragment
        .strip_prefix(FRAGMENT_KEY)
        .ok_or("This link does not carry a scenario.")?;
    let packed = URL_SAFE_NO_PAD.decode(payload.trim()).map_err(|_| {
        "This share link is damaged: it is not valid base64 (was it cut short when copied?)."
            .to_string()
    })?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_INFLATED)
        .map_err(|_| "This share link is damaged: its data does not decompress (was it cut short when copied?).".to_string())?;
    let text = String::from_utf8(json)
        .map_err(|_| "This share link is damaged: its text is not UTF-8.".to_string())?;
    let scenario = Scenario::from_json(&text)
        .map_err(|e| format!("This share link holds a scenario this version cannot read: {e}"))?;
    // A scenario with problems still opens (they are shown where they are, to be fixed); only
    // one too large to edit is refused.
    crate::state::editable(&scenario)
        .map_err(|e| format!("This share link holds a scenario too large to open: {e}"))?;
    Ok(scenario)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_everything_including_the_seed() {
        let mut s = crate::state::starter();
        s.seed = 424_242;
        let link = encode(&s);
        assert!(link.len() < 1_000, "links stay short: {}", link.len());
        assert_eq!(decode(&format!("#{link}")).expect("decodes"), s);
    }

    #[test]
    fn minified_json_is_the_compact_form() {
        let mut s = crate::state::starter();
        s.name = "Quotes \" and \\ and  spaces { } stay".to_string();
        let compact = serde_json::to_string(&s).expect("json");
        assert_eq!(minify(&s.to_json()), compact);
    }

    #[test]
    fn damaged_links_get_a_sentence_not_a_panic() {
        let link = encode(&crate::state::starter());
        let cut = &link[..link.len() / 2];
        for bad in [
            "",
            "#x=1",
            "#s=!!!",
            cut,
            "#s=AAAA",
            &link.replace('A', "B"),
        ] {
            let err = decode(bad).expect_err("refused");
            assert!(err.ends_with('.') || err.contains(':'), "{err}");
        }
    }

    #[test]
    fn a_scenario_with_problems_opens_but_an_oversized_one_does_not() {
        let mut s = crate::state::starter();
        s.wires.push(engine::scenario::Wire {
            from: "db".into(),
            to: "users".into(),
            mode: Default::default(),
            ops: Vec::new(),
        });
        assert!(engine::Simulation::new(&s).is_err());
        assert_eq!(decode(&encode(&s)).expect("opens"), s);
        let first = s.components[0].clone();
        s.components = (0..=engine::topology::MAX_COMPONENTS)
            .map(|i| engine::scenario::Component {
                id: format!("c{i}"),
                ..first.clone()
            })
            .collect();
        let err = decode(&encode(&s)).expect_err("refused");
        assert!(err.contains("501 components"), "{err}");
    }

    #[test]
    fn a_decompression_bomb_is_refused() {
        let zeros = vec![b' '; 4 * 1024 * 1024];
        let packed = miniz_oxide::deflate::compress_to_vec(&zeros, 9);
        let link = format!("s={}", URL_SAFE_NO_PAD.encode(packed));
        assert!(decode(&link).is_err());
    }
}
