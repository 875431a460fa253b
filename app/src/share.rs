//! Share links: the scenario (seed included) as compressed JSON in the URL's fragment, so a link
//! opens to the same state and nothing is ever sent to a server.
//!
//! Decoding is untrusted input: every failure becomes a sentence, and the inflated size is
//! capped so a crafted link cannot exhaust memory.

use engine::Scenario;

/// The fragment key a share link uses: `#s=...`.
pub const FRAGMENT_KEY: &str = "s=";
/// The largest scenario a link may inflate to.
pub const MAX_INFLATED: usize = 2 * 1024 * 1024;

/// The fragment (without `#`) that carries `scenario`.
pub fn encode(scenario: &Scenario) -> String {
    format!("{FRAGMENT_KEY}{}", pack(&scenario.to_json()))
}

/// JSON text as a link's payload: minified, deflated, URL-safe base64 (what share, challenge and
/// answer links carry).
pub fn pack(json: &str) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(minify(json).as_bytes(), 9);
    base64url(&packed)
}

/// The JSON text a payload carries, or a sentence saying what is wrong with the `what` ("share
/// link", "challenge link"); inflated at most to the cap.
pub fn unpack(payload: &str, what: &str) -> Result<String, String> {
    let packed = from_base64url(payload.trim()).ok_or_else(|| {
        format!("This {what} is damaged: it is not valid base64 (was it cut short when copied?).")
    })?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_INFLATED).map_err(
        |e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => format!(
                "This {what} is too large: its data would take more than {} MB.",
                MAX_INFLATED / (1024 * 1024)
            ),
            _ => format!("This {what} is damaged: its data does not decompress (was it cut short when copied?)."),
        },
    )?;
    String::from_utf8(json).map_err(|_| format!("This {what} is damaged: its text is not UTF-8."))
}

/// The URL-safe base64 alphabet (RFC 4648, section 5).
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// `bytes` in URL-safe base64 without padding. Written here (a few lines) rather than taken from
/// a crate, which weighed about a kilobyte of the gzipped bundle; a test checks it against one.
fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

/// The bytes of URL-safe base64 without padding; None for anything else (a character outside the
/// alphabet, a length no encoding has, or stray bits after the last byte).
fn from_base64url(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u32> = text
        .bytes()
        .map(|c| ALPHABET.iter().position(|a| *a == c).map(|p| p as u32))
        .collect::<Option<_>>()?;
    if digits.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, d)| n | d << (18 - 6 * i));
        let bytes = chunk.len() - 1;
        // The bits past the last whole byte must be zero, as an encoder writes them.
        if n & ((1 << (24 - 8 * bytes)) - 1) != 0 {
            return None;
        }
        out.extend_from_slice(&n.to_be_bytes()[1..=bytes]);
    }
    Some(out)
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
    let text = unpack(payload, "share link")?;
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
            optional: false,
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
    fn a_decompression_bomb_is_refused_as_too_large() {
        let zeros = vec![b' '; 4 * 1024 * 1024];
        let packed = miniz_oxide::deflate::compress_to_vec(&zeros, 9);
        let link = format!("s={}", base64url(&packed));
        let err = decode(&link).expect_err("refused");
        assert!(err.contains("too large") && err.contains("2 MB"), "{err}");
        // Just under the cap is not "too large" (it is refused for what it holds instead).
        let under = vec![b' '; MAX_INFLATED - 1];
        let packed = miniz_oxide::deflate::compress_to_vec(&under, 9);
        let err = decode(&format!("s={}", base64url(&packed))).expect_err("not a scenario");
        assert!(!err.contains("too large"), "{err}");
    }

    /// Links people saved keep opening: each file in `tests/data/share-links/` is a link as a
    /// shipped build wrote it (its name says the format version and what it holds), and every
    /// later build must open it to the same scenario.
    #[test]
    fn links_written_by_shipped_builds_still_open() {
        let fixtures = [
            (
                "v1-starter.txt",
                include_str!("../../tests/data/share-links/v1-starter.txt"),
            ),
            (
                "v1-lesson-01-solution.txt",
                include_str!("../../tests/data/share-links/v1-lesson-01-solution.txt"),
            ),
        ];
        for (name, link) in fixtures {
            let scenario = decode(link.trim()).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(scenario.version, 1, "{name}");
            assert!(engine::Simulation::new(&scenario).is_ok(), "{name} runs");
        }
        let starter = decode(fixtures[0].1.trim()).expect("opens");
        assert_eq!(starter.seed, 424_242, "the seed travels with the link");
        assert_eq!(
            starter.components.len(),
            crate::state::starter().components.len()
        );
    }

    #[test]
    fn base64url_agrees_with_the_base64_crate() {
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        use base64::Engine as _;
        let mut r = engine::rng::Rng::seeded(5);
        for len in 0..200 {
            let bytes: Vec<u8> = (0..len).map(|_| r.below(256) as u8).collect();
            let ours = base64url(&bytes);
            assert_eq!(ours, URL_SAFE_NO_PAD.encode(&bytes), "{len} bytes");
            assert_eq!(from_base64url(&ours), Some(bytes));
        }
        for bad in ["A", "AB=", "A+B/", "AAAAA", "AB", "AAB", "ab cd", "é"] {
            assert_eq!(
                from_base64url(bad).is_some(),
                URL_SAFE_NO_PAD.decode(bad).is_ok(),
                "{bad:?}"
            );
        }
    }
}
