//! The embed view's options, read from the address's fragment:
//! `#embed?lesson=01-paid-twice&charts=side-effects,latency&switches=api.idempotency&autoplay`.
//! Every option is documented in docs/embedding.md. An option that is unknown or malformed
//! becomes a short note shown in the frame; the rest still apply.

/// What the embed shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A lesson's starting scenario, by slug.
    Lesson(&'static str),
    /// A share link's payload (the text after `s=`).
    Shared(String),
    /// Nothing named: the sandbox's starter scenario.
    Starter,
}

/// How much of the control bar shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlsMode {
    /// Play/Pause, Reset, speed and the clock.
    Full,
    /// Play/Pause only.
    Minimal,
    /// None (with `autoplay`, a picture that moves).
    None,
}

/// The colours the frame uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    /// As the reader's system prefers.
    Auto,
    /// Light whatever the system says.
    Light,
    /// Dark whatever the system says.
    Dark,
}

impl Theme {
    /// The value of the page's `data-theme` attribute ("" for auto).
    pub fn attribute(self) -> &'static str {
        match self {
            Theme::Auto => "",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// The charts an embed can show, by the names the option uses, with the title each has.
pub const CHARTS: [(&str, &str); 7] = [
    ("latency", "Latency"),
    ("throughput", "Throughput"),
    ("errors", "Errors"),
    ("queue", "Queue depth"),
    ("utilisation", "Utilisation"),
    ("side-effects", "Side effects"),
    ("workers", "Workers serving"),
];

/// At most this many charts (and switches) in one frame.
pub const MAX_CHARTS: usize = 3;
/// See [`MAX_CHARTS`].
pub const MAX_SWITCHES: usize = 3;
/// At most this many notes show (then one saying how many more).
pub const MAX_NOTES: usize = 8;

/// Everything an embed's address asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbedOptions {
    pub source: Source,
    /// Chart names from [`CHARTS`], in the order asked.
    pub charts: Vec<&'static str>,
    /// The component the charts are about (None: the whole system).
    pub component: Option<String>,
    pub seed: Option<u64>,
    pub autoplay: bool,
    /// Play at once, whatever the reader's motion setting: the preview (`embed.html`) adds it
    /// when the reader pressed its Play button.
    pub play: bool,
    pub speed: f64,
    /// Pause when the simulated clock reaches this many seconds.
    pub until: Option<f64>,
    pub theme: Theme,
    pub controls: ControlsMode,
    /// Component fields the reader may change (`api.idempotency`), by path.
    pub switches: Vec<String>,
    /// Show what happened (the run report's timeline) under the charts.
    pub report: bool,
}

impl Default for EmbedOptions {
    fn default() -> Self {
        EmbedOptions {
            source: Source::Starter,
            charts: vec!["latency", "throughput"],
            component: None,
            seed: None,
            autoplay: false,
            play: false,
            speed: 1.0,
            until: None,
            theme: Theme::Auto,
            controls: ControlsMode::Full,
            switches: Vec::new(),
            report: false,
        }
    }
}

/// Whether a fragment opens the embed view.
pub fn is_embed(fragment: &str) -> bool {
    fragment == "embed" || fragment.starts_with("embed?")
}

/// Every option the embed view reads; the preview (static/embed-frame.js) names the same.
pub const OPTIONS: [&str; 13] = [
    "lesson",
    "s",
    "charts",
    "component",
    "seed",
    "autoplay",
    "play",
    "speed",
    "until",
    "theme",
    "controls",
    "switches",
    "report",
];

/// The options a fragment (without `#`) asks for, and a note for each it could not use.
pub fn parse(fragment: &str) -> (EmbedOptions, Vec<String>) {
    let mut o = EmbedOptions::default();
    let mut notes = Vec::new();
    let query = fragment
        .trim_start_matches('#')
        .strip_prefix("embed")
        .unwrap_or_default()
        .trim_start_matches('?');
    let mut charts_given = false;
    for pair in query.split('&').filter(|p| !p.is_empty()).take(32) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if !OPTIONS.contains(&key) {
            notes.push(format!("unknown option \"{}\"", clip(key)));
            continue;
        }
        let value = decode(value);
        let mut bad = |why: &str| notes.push(format!("{}: {why}", clip(key)));
        match key {
            "lesson" => match crate::lessons::slugs().find(|s| *s == value) {
                Some(slug) => o.source = Source::Lesson(slug),
                None => bad("no lesson has this name"),
            },
            "s" => o.source = Source::Shared(value),
            "charts" => {
                charts_given = true;
                o.charts.clear();
                for name in value.split(',').filter(|n| !n.is_empty()) {
                    match CHARTS.iter().find(|(n, _)| *n == name) {
                        Some((n, _)) if !o.charts.contains(n) => o.charts.push(n),
                        Some(_) => {}
                        None => notes.push(format!(
                            "charts: no chart is called \"{}\" (try {})",
                            clip(name),
                            CHARTS.map(|(n, _)| n).join(", ")
                        )),
                    }
                }
                if o.charts.len() > MAX_CHARTS {
                    notes.push(format!("charts: at most {MAX_CHARTS} in one frame"));
                    o.charts.truncate(MAX_CHARTS);
                }
            }
            "component" => o.component = Some(value).filter(|v| !v.is_empty()),
            "seed" => match value.parse() {
                Ok(seed) => o.seed = Some(seed),
                Err(_) => bad("expected a whole number"),
            },
            "autoplay" => o.autoplay = value.is_empty() || value == "true" || value == "1",
            "play" => o.play = true,
            "report" => o.report = value.is_empty() || value == "true" || value == "1",
            "speed" => match value.parse::<f64>() {
                Ok(s) if crate::components::controls::SPEEDS.contains(&s) => o.speed = s,
                _ => bad("expected one of 0.25, 0.5, 1, 2, 5, 10, 25, 100"),
            },
            "until" => match value.parse::<f64>() {
                Ok(t) if t.is_finite() && t > 0.0 => o.until = Some(t),
                _ => bad("expected a number of simulated seconds"),
            },
            "theme" => match value.as_str() {
                "auto" => o.theme = Theme::Auto,
                "light" => o.theme = Theme::Light,
                "dark" => o.theme = Theme::Dark,
                _ => bad("expected light, dark or auto"),
            },
            "controls" => match value.as_str() {
                "full" => o.controls = ControlsMode::Full,
                "minimal" => o.controls = ControlsMode::Minimal,
                "none" => o.controls = ControlsMode::None,
                _ => bad("expected full, minimal or none"),
            },
            "switches" => {
                o.switches = value
                    .split(',')
                    .filter(|p| !p.is_empty())
                    .map(str::to_string)
                    .collect();
                if o.switches.len() > MAX_SWITCHES {
                    notes.push(format!("switches: at most {MAX_SWITCHES} in one frame"));
                    o.switches.truncate(MAX_SWITCHES);
                }
            }
            _ => notes.push(format!("unknown option \"{}\"", clip(key))),
        }
    }
    if !charts_given && matches!(o.source, Source::Lesson(_)) {
        o.charts = vec!["latency", "side-effects"];
    }
    if notes.len() > MAX_NOTES {
        let more = notes.len() - MAX_NOTES;
        notes.truncate(MAX_NOTES);
        notes.push(format!("… and {more} more"));
    }
    (o, notes)
}

/// `%XX` escapes decoded (as `encodeURIComponent` writes them); a malformed one is kept as is.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// At most 40 characters of something a host page wrote, for a note.
fn clip(text: &str) -> String {
    let mut s: String = text.chars().take(40).collect();
    if text.chars().count() > 40 {
        s.push('…');
    }
    s
}

/// The fragment that asks for `options` (what the app's Embed dialog and the docs write).
pub fn fragment(options: &EmbedOptions) -> String {
    format!("embed?{}", query(options))
}

/// The options as `key=value` pairs joined by `&` (a bare key for a flag), as both the preview's
/// fragment (`embed.html#...`) and the app's (`#embed?...`) read them.
pub fn query(options: &EmbedOptions) -> String {
    pairs(options)
        .into_iter()
        .map(|(k, v)| match v {
            Some(v) => format!("{k}={v}"),
            None => k.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Each option that differs from its default, by name, with its value (None: a flag).
fn pairs(options: &EmbedOptions) -> Vec<(&'static str, Option<String>)> {
    let mut parts = Vec::new();
    match &options.source {
        Source::Lesson(slug) => parts.push(("lesson", Some(slug.to_string()))),
        Source::Shared(payload) => parts.push(("s", Some(payload.clone()))),
        Source::Starter => {}
    }
    parts.push(("charts", Some(options.charts.join(","))));
    if let Some(c) = &options.component {
        parts.push(("component", Some(c.clone())));
    }
    if let Some(seed) = options.seed {
        parts.push(("seed", Some(seed.to_string())));
    }
    if options.autoplay {
        parts.push(("autoplay", None));
    }
    if options.play {
        parts.push(("play", None));
    }
    if options.speed != 1.0 {
        parts.push(("speed", Some(options.speed.to_string())));
    }
    if let Some(t) = options.until {
        parts.push(("until", Some(t.to_string())));
    }
    match options.theme {
        Theme::Auto => {}
        t => parts.push(("theme", Some(t.attribute().to_string()))),
    }
    match options.controls {
        ControlsMode::Full => {}
        ControlsMode::Minimal => parts.push(("controls", Some("minimal".into()))),
        ControlsMode::None => parts.push(("controls", Some("none".into()))),
    }
    if !options.switches.is_empty() {
        parts.push(("switches", Some(options.switches.join(","))));
    }
    if options.report {
        parts.push(("report", None));
    }
    parts
}

/// A size an author picks for an embed: the widest it grows and the height it starts at (or
/// keeps, when fixed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub name: &'static str,
    pub width: u32,
    pub height: u32,
}

/// The Embed dialog's sizes.
pub const SIZES: [Size; 3] = [
    Size {
        name: "Post column (up to 720 px)",
        width: 720,
        height: 620,
    },
    Size {
        name: "Wide (up to 960 px)",
        width: 960,
        height: 680,
    },
    Size {
        name: "Narrow (up to 480 px)",
        width: 480,
        height: 760,
    },
];

/// What the Embed dialog gives to copy.
#[derive(Debug, Clone, PartialEq)]
pub struct Snippets {
    /// A plain iframe of the preview, with the helper that sizes it.
    pub iframe: String,
    /// The script tag and a `<backend-playground>` element.
    pub element: String,
    /// The embed as a page of its own.
    pub link: String,
}

/// What a page shows where the embed cannot run (a feed reader that strips frames and scripts, a
/// page with scripts blocked): the design's diagram as an image, linked to the playground at
/// `open`. The picture is an SVG drawing carried in the snippet itself (a `data:` address), so
/// it needs no file of its own.
pub fn fallback(open: &str, picture_svg: &str, title: &str) -> String {
    let mut data = String::with_capacity(picture_svg.len() + 32);
    for ch in picture_svg.chars() {
        match ch {
            '%' => data.push_str("%25"),
            '#' => data.push_str("%23"),
            '"' => data.push_str("%22"),
            '<' => data.push_str("%3C"),
            '>' => data.push_str("%3E"),
            '&' => data.push_str("%26"),
            '\n' => data.push_str("%0A"),
            c => data.push(c),
        }
    }
    format!(
        "<a href=\"{}\"><img src=\"data:image/svg+xml,{data}\" alt=\"{}: a diagram of the design. Open it in the playground to run it.\" style=\"max-width: 100%\"></a>",
        escape(open),
        escape(title)
    )
}

/// The snippets for `options`, with the playground at `base` (its address up to the last `/`),
/// `size`, and the height fixed or following the content; `fallback` ([`fallback`]) goes inside
/// the element and the iframe, for readers where they cannot run.
pub fn snippets(
    base: &str,
    options: &EmbedOptions,
    size: Size,
    fixed: bool,
    title: &str,
    fallback: &str,
) -> Snippets {
    let q = query(options);
    let title = escape(title);
    let height = size.height;
    let width = size.width;
    let iframe = if fixed {
        format!(
            "<iframe src=\"{base}embed.html#{}\" title=\"{title}\"\n  style=\"width: 100%; max-width: {width}px; height: {height}px; border: 0\" loading=\"lazy\" data-fixed-height>{fallback}</iframe>",
            escape(&q)
        )
    } else {
        format!(
            "<iframe src=\"{base}embed.html#{}\" title=\"{title}\"\n  style=\"width: 100%; max-width: {width}px; height: {height}px; border: 0\" loading=\"lazy\">{fallback}</iframe>\n<script defer src=\"{base}embed-resize.js\"></script>",
            escape(&q)
        )
    };
    let mut attributes: Vec<String> = pairs(options)
        .into_iter()
        .map(|(k, v)| match v {
            Some(v) => format!("{k}=\"{}\"", escape(&v)),
            None => k.to_string(),
        })
        .collect();
    attributes.push(format!("title=\"{title}\""));
    if fixed {
        attributes.push(format!("height=\"{height}\""));
    }
    let element = format!(
        "<script defer src=\"{base}embed.js\"></script>\n<backend-playground {}\n  style=\"max-width: {width}px\">{fallback}</backend-playground>",
        attributes.join(" ")
    );
    Snippets {
        iframe,
        element,
        link: format!("{base}embed.html#{q}"),
    }
}

/// `text` safe inside an HTML attribute's double quotes.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The fields of `scenario` a reader could be given as switches: each component's on/off
/// fields, choices of words and numbers the registry bounds, by path, with a label.
pub fn switch_candidates(scenario: &engine::Scenario) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for c in &scenario.components {
        let Ok(serde_json::Value::Object(fields)) = serde_json::from_str(&c.spec.to_json()) else {
            continue;
        };
        let mut names: Vec<&String> = fields.keys().filter(|k| *k != "kind").collect();
        names.sort_by_key(|n| engine::kinds::rank(n));
        let kind = c.spec.info().name;
        let who = if c.name.is_empty() { &c.id } else { &c.name };
        for name in names {
            let Some(info) = engine::kinds::field(kind, name) else {
                continue;
            };
            let fits = match &fields[name.as_str()] {
                serde_json::Value::Bool(_) => true,
                serde_json::Value::String(_) => !info.choices.is_empty(),
                serde_json::Value::Number(_) | serde_json::Value::Null => info.range.is_some(),
                _ => false,
            };
            if fits {
                out.push((
                    format!("{}.{name}", c.id),
                    format!("{who}: {}", name.replace('_', " ")),
                ));
            }
        }
    }
    out
}

/// What a host page may ask of a frame (docs/embedding.md, "Messages"):
/// `{ target: "backend-playground", version: 1, type: "play" | "pause" | "reset" | "goals" }`
/// or `{ ..., type: "set", path: "api.idempotency", value: "atomic_reserve" }`.
#[derive(Debug, Clone, PartialEq)]
pub enum HostMessage {
    Play,
    Pause,
    Reset,
    /// Reply with the goals as measured now.
    Goals,
    /// Set one component field by path, as a reader's switch does.
    Set {
        path: String,
        value: serde_json::Value,
    },
}

/// The message a host page sent, or None for anything of the wrong shape (ignored).
pub fn host_message(data: &serde_json::Value) -> Option<HostMessage> {
    if data.get("target")?.as_str()? != "backend-playground" || data.get("version")?.as_u64()? != 1
    {
        return None;
    }
    Some(match data.get("type")?.as_str()? {
        "play" => HostMessage::Play,
        "pause" => HostMessage::Pause,
        "reset" => HostMessage::Reset,
        "goals" => HostMessage::Goals,
        "set" => {
            let path = data.get("path")?.as_str()?;
            if path.is_empty() || path.len() > 200 {
                return None;
            }
            HostMessage::Set {
                path: path.to_string(),
                value: data.get("value")?.clone(),
            }
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_carry_the_options_escaped_and_read_back() {
        let o = EmbedOptions {
            source: Source::Lesson("01-paid-twice"),
            charts: vec!["side-effects"],
            seed: Some(3),
            autoplay: true,
            theme: Theme::Dark,
            switches: vec!["api.idempotency".into()],
            ..EmbedOptions::default()
        };
        let picture = fallback(
            "https://b.example/pg/#lesson=01-paid-twice",
            "<svg a=\"1\">#%&\n</svg>",
            "Paid",
        );
        let s = snippets(
            "https://b.example/pg/",
            &o,
            SIZES[0],
            false,
            "Paid \"twice\" <live>",
            &picture,
        );
        // The picture and its link sit inside both, escaped so the markup holds.
        assert!(s
            .element
            .contains(&format!(">{picture}</backend-playground>")));
        assert!(s.iframe.contains(&format!(">{picture}</iframe>")));
        assert_eq!(
            picture,
            "<a href=\"https://b.example/pg/#lesson=01-paid-twice\"><img src=\"data:image/svg+xml,%3Csvg a=%221%22%3E%23%25%26%0A%3C/svg%3E\" alt=\"Paid: a diagram of the design. Open it in the playground to run it.\" style=\"max-width: 100%\"></a>"
        );
        let q = "lesson=01-paid-twice&charts=side-effects&seed=3&autoplay&theme=dark&switches=api.idempotency";
        assert_eq!(s.link, format!("https://b.example/pg/embed.html#{q}"));
        assert!(s.iframe.contains(&format!(
            "src=\"https://b.example/pg/embed.html#{}\"",
            q.replace('&', "&amp;")
        )));
        assert!(s
            .iframe
            .contains("title=\"Paid &quot;twice&quot; &lt;live&gt;\""));
        assert!(
            s.iframe.contains("embed-resize.js"),
            "auto height brings the helper"
        );
        assert!(s
            .element
            .starts_with("<script defer src=\"https://b.example/pg/embed.js\"></script>"));
        assert!(s.element.contains(
            "<backend-playground lesson=\"01-paid-twice\" charts=\"side-effects\" seed=\"3\" autoplay theme=\"dark\" switches=\"api.idempotency\""
        ));
        // What the snippet asks for is what the frame reads.
        let (back, notes) = parse(&format!("embed?{q}"));
        assert_eq!(back, o);
        assert!(notes.is_empty());
        let fixed = snippets("./", &o, SIZES[1], true, "t", "");
        assert!(
            fixed.iframe.contains("data-fixed-height") && !fixed.iframe.contains("embed-resize.js")
        );
        assert!(fixed.element.contains("height=\"680\""));
    }

    #[test]
    fn switch_candidates_are_switches_choices_and_bounded_numbers() {
        let text = lesson_catalog::find("01-paid-twice")
            .expect("lesson 1")
            .start;
        let scenario = engine::Scenario::from_json(text).expect("the lesson reads");
        let found = switch_candidates(&scenario);
        let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert!(paths.contains(&"api.idempotency"), "{paths:?}");
        assert!(paths.contains(&"api.workers"));
        assert!(paths.contains(&"shoppers.idempotency_keys"));
        assert!(
            !paths
                .iter()
                .any(|p| p.ends_with(".kind") || p.ends_with(".service_time")),
            "{paths:?}"
        );
        for (path, _) in &found {
            assert!(
                engine::conditions::value_at(&scenario, path).is_some(),
                "{path} names a field"
            );
        }
    }

    /// The preview names a misspelt option before Play: its list must be the parser's.
    #[test]
    fn the_preview_knows_the_options_the_parser_reads() {
        let script = include_str!("../../static/embed-frame.js");
        let listed = format!(
            "var OPTIONS = [{}];",
            OPTIONS.map(|o| format!("'{o}'")).join(", ")
        );
        assert!(script.contains(&listed), "embed-frame.js lacks {listed}");
        for option in OPTIONS {
            let (_, notes) = parse(&format!("embed?{option}=x"));
            assert!(
                !notes.iter().any(|n| n.starts_with("unknown option")),
                "{option}: {notes:?}"
            );
        }
        let (_, notes) = parse("embed?colour=red");
        assert_eq!(notes, vec!["unknown option \"colour\"".to_string()]);
        let speeds = controls_speeds();
        assert!(
            script.contains(&format!("var SPEEDS = [{speeds}];")),
            "{speeds}"
        );
        // The preview refuses the same values in the same words (its speed note is built from
        // its SPEEDS, checked above).
        for (option, refused) in [
            ("theme", "blue"),
            ("controls", "x"),
            ("seed", "-1"),
            ("until", "0"),
        ] {
            let (_, notes) = parse(&format!("embed?{option}={refused}"));
            let why = notes[0]
                .strip_prefix(&format!("{option}: "))
                .expect("a note about the option");
            assert!(
                script.contains(&format!("{option}: ['{why}'")),
                "embed-frame.js refuses {option} in other words than {why:?}"
            );
        }
    }

    /// The speeds as the preview's list writes them.
    fn controls_speeds() -> String {
        crate::components::controls::SPEEDS
            .map(|s| s.to_string())
            .join(", ")
    }

    #[test]
    fn every_option_reads_back_from_the_fragment_it_writes() {
        let o = EmbedOptions {
            source: Source::Lesson("01-paid-twice"),
            charts: vec!["side-effects", "latency"],
            component: Some("psp".into()),
            seed: Some(7),
            autoplay: true,
            play: true,
            speed: 2.0,
            until: Some(45.0),
            theme: Theme::Dark,
            controls: ControlsMode::Minimal,
            switches: vec![
                "api.idempotency".into(),
                "shoppers.retry.max_attempts".into(),
            ],
            report: true,
        };
        assert_eq!(parse(&fragment(&o)), (o, Vec::new()));
        let (plain, notes) = parse("embed");
        assert_eq!(plain, EmbedOptions::default());
        assert!(notes.is_empty());
    }

    #[test]
    fn bad_options_get_a_note_each_and_the_rest_still_apply() {
        let (o, notes) = parse(
            "embed?lesson=no-such&charts=latency,pie,latency&seed=-3&speed=7&theme=purple\
             &controls=some&until=soon&colour=red&autoplay",
        );
        assert_eq!(o.source, Source::Starter);
        assert_eq!(o.charts, vec!["latency"], "known charts kept once");
        assert!(o.autoplay, "a good option after bad ones applies");
        for expected in [
            "lesson: no lesson has this name",
            "charts: no chart is called \"pie\"",
            "seed: expected a whole number",
            "speed: expected one of",
            "theme: expected light, dark or auto",
            "controls: expected full, minimal or none",
            "until: expected a number",
            "unknown option \"colour\"",
        ] {
            assert!(
                notes.iter().any(|n| n.starts_with(expected)),
                "{expected}: {notes:?}"
            );
        }
        let (o, notes) =
            parse("embed?charts=latency,throughput,errors,queue&switches=a.b,c.d,e.f,g.h");
        assert_eq!(o.charts.len(), MAX_CHARTS);
        assert_eq!(o.switches.len(), MAX_SWITCHES);
        assert_eq!(notes.len(), 2);
    }

    #[test]
    fn hostile_text_is_clipped_decoded_and_bounded() {
        let long = "x".repeat(10_000);
        let (_, notes) = parse(&format!("embed?{long}=1"));
        assert!(notes[0].chars().count() < 80, "{}", notes[0]);
        let many = "a=1&".repeat(10_000);
        let (_, notes) = parse(&format!("embed?{many}"));
        assert_eq!(
            notes.len(),
            MAX_NOTES + 1,
            "a few notes, then how many more"
        );
        assert_eq!(
            notes[MAX_NOTES], "… and 24 more",
            "at most 32 options are read"
        );
        let (_, notes) = parse(&format!("embed?charts={}", "pie,".repeat(5_000)));
        assert_eq!(notes.len(), MAX_NOTES + 1);
        assert_eq!(
            decode("api.idempotency%2Cshoppers.retry"),
            "api.idempotency,shoppers.retry"
        );
        assert_eq!(decode("%zz%4"), "%zz%4");
        assert_eq!(decode("%ff"), "\u{fffd}");
    }

    /// Thousands of damaged fragments, built from the options' own words and stray bytes: each
    /// parses without a panic, to options within their bounds and at most one note an option.
    #[test]
    fn damaged_fragments_never_panic_and_stay_bounded() {
        let strays = [
            "=",
            "&",
            ",",
            "%",
            "%2",
            "%zz",
            "01-paid-twice",
            "latency",
            "-1",
            "1e309",
            "NaN",
            "dark",
            "none",
            "api.idempotency",
            "\u{0}",
            "é",
            "🙂",
            "?",
            "#",
        ];
        let words: Vec<&str> = OPTIONS.iter().chain(strays.iter()).copied().collect();
        let mut r = engine::rng::Rng::seeded(11);
        for _ in 0..5_000 {
            let mut fragment = String::from("embed?");
            for _ in 0..r.below(24) {
                fragment.push_str(words[r.below(words.len() as u64) as usize]);
            }
            let (o, notes) = parse(&fragment);
            assert!(
                o.charts.len() <= MAX_CHARTS && o.switches.len() <= MAX_SWITCHES,
                "{fragment}"
            );
            assert!(notes.len() <= MAX_NOTES + 1, "{fragment}: {notes:?}");
            assert!(
                o.until.is_none_or(|t| t.is_finite() && t > 0.0),
                "{fragment}"
            );
            assert!(notes.iter().all(|n| n.chars().count() < 200), "{fragment}");
        }
    }

    #[test]
    fn host_messages_of_the_documented_shape_are_read_and_others_ignored() {
        use serde_json::json;
        let m = |v: serde_json::Value| host_message(&v);
        let base = |t: &str| json!({ "target": "backend-playground", "version": 1, "type": t });
        assert_eq!(m(base("play")), Some(HostMessage::Play));
        assert_eq!(m(base("pause")), Some(HostMessage::Pause));
        assert_eq!(m(base("reset")), Some(HostMessage::Reset));
        assert_eq!(m(base("goals")), Some(HostMessage::Goals));
        let mut set = base("set");
        set["path"] = json!("api.idempotency");
        set["value"] = json!("atomic_reserve");
        assert_eq!(
            m(set.clone()),
            Some(HostMessage::Set {
                path: "api.idempotency".into(),
                value: json!("atomic_reserve")
            })
        );
        let mut wrong_version = base("play");
        wrong_version["version"] = json!(2);
        let mut long_path = set.clone();
        long_path["path"] = json!("x".repeat(500));
        let mut no_value = set;
        no_value.as_object_mut().map(|o| o.remove("value"));
        for bad in [
            json!(null),
            json!("play"),
            json!([1, 2]),
            json!({ "type": "play" }),
            json!({ "target": "someone-else", "version": 1, "type": "play" }),
            wrong_version,
            base("explode"),
            long_path,
            no_value,
        ] {
            assert_eq!(m(bad.clone()), None, "{bad}");
        }
    }
}
