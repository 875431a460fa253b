//! Validation problems in the learner's words and in the places the canvas shows them.

use crate::components::canvas::Problems;
use engine::Scenario;

/// Validation problems placed where the canvas shows them: on the component or the wire they
/// concern. A wire whose end does not exist cannot be drawn, so its problems go to the end that
/// does.
pub fn place_problems(scenario: &Scenario, error: Option<&engine::ScenarioError>) -> Problems {
    let mut out = Problems::default();
    let exists = |id: &str| scenario.components.iter().any(|c| c.id == id);
    for p in error.map(|e| e.problems.as_slice()).unwrap_or_default() {
        let message = p.message.clone();
        match &p.subject {
            engine::topology::Subject::Component { id, .. } if exists(id) => {
                out.components.entry(id.clone()).or_default().push(message);
            }
            engine::topology::Subject::Wire { index, from, to } => {
                if exists(from) && exists(to) {
                    out.wires.entry(*index).or_default().push(message);
                } else if let Some(end) = [from, to].into_iter().find(|id| exists(id)) {
                    out.components.entry(end.clone()).or_default().push(message);
                }
            }
            _ => {}
        }
    }
    out
}

/// A validation problem in a learner's words: the component's display name, then the reason.
pub fn plain_problem(scenario: &Scenario, p: &engine::Problem) -> String {
    let name = |id: &str| crate::state::display_name_of(scenario, id);
    let mut message = p.message.clone();
    if let Some(first) = message.get(..1) {
        message = first.to_ascii_uppercase() + &message[1..];
    }
    // "spec.rate_per_sec" reads as "Rate"; the id field and the kind read as themselves.
    let field = p.field.rsplit('.').next().unwrap_or_default();
    let field = match field {
        "" | "spec" | "id" | "kind" => String::new(),
        f => format!(", {}", crate::components::inspector::label_and_unit(f).0),
    };
    match &p.subject {
        engine::topology::Subject::Component { id, .. } => {
            format!("{}{field}: {message}.", name(id))
        }
        engine::topology::Subject::Wire { from, to, .. } => {
            format!("Wire {} → {}: {message}.", name(from), name(to))
        }
        engine::topology::Subject::Fault { kind, .. } => {
            format!("Fault ({}): {message}.", kind.replace('_', " "))
        }
        engine::topology::Subject::Goal { label, .. } => format!("Goal \"{label}\": {message}."),
        // A top-level field of the file is named; a refused live change (its wire's mode, say)
        // is shown beside the control it came from, so the sentence alone says it.
        engine::topology::Subject::Scenario if is_top_level(&p.field) => {
            format!("{}: {message}.", p.field)
        }
        engine::topology::Subject::Scenario => format!("{message}."),
        // Text that could not be read: the place in it, then why.
        engine::topology::Subject::File if p.field.is_empty() => format!("{message}."),
        engine::topology::Subject::File => format!("{}: {message}.", p.field),
    }
}

/// Whether `field` is one of a scenario file's top-level fields.
fn is_top_level(field: &str) -> bool {
    const TOP: [&str; 11] = [
        "version",
        "name",
        "seed",
        "duration_s",
        "window_ms",
        "trace_every",
        "access_log_every",
        "components",
        "wires",
        "faults",
        "goals",
    ];
    TOP.iter().any(|t| {
        field
            .strip_prefix(t)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('['))
    })
}

/// What a locked condition's path is called in a sentence, with names from `scenario` (the
/// lesson's own, which still holds a component the learner removed): "Rate of Users",
/// "Payment provider", "The faults".
pub fn condition_subject(scenario: &Scenario, path: &str) -> String {
    match path {
        "faults" => return "The faults".into(),
        "goals" => return "The goals".into(),
        "seed" => return "The seed".into(),
        "duration_s" => return "The run's length".into(),
        _ => {}
    }
    let name_of = |id: &str| {
        scenario
            .components
            .iter()
            .find(|c| c.id == id)
            .map_or(id.to_string(), |c| {
                crate::state::display_name(c).to_string()
            })
    };
    if let Some((from, to)) = path
        .strip_prefix(engine::conditions::CALLS_PREFIX)
        .and_then(|p| p.split_once("->"))
    {
        return format!("{} → {}", name_of(from), name_of(to));
    }
    let owner = scenario
        .components
        .iter()
        .filter(|c| {
            path.strip_prefix(c.id.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        })
        .max_by_key(|c| c.id.len());
    let Some(c) = owner else {
        return path.to_string();
    };
    let name = crate::state::display_name(c);
    match path[c.id.len()..]
        .trim_start_matches('.')
        .rsplit('.')
        .next()
    {
        Some(field) if !field.is_empty() => {
            let (label, _) = crate::components::inspector::label_and_unit(field);
            format!("{label} of {name}")
        }
        _ => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::topology::Subject;

    fn problem(field: &str, message: &str) -> engine::Problem {
        engine::Problem {
            subject: Subject::Scenario,
            field: field.into(),
            message: message.into(),
        }
    }

    #[test]
    fn a_file_field_is_named_and_a_refused_change_reads_as_a_sentence() {
        let s = crate::state::starter();
        let text = plain_problem(&s, &problem("duration_s", "must be positive"));
        assert_eq!(text, "duration_s: Must be positive.");
        let text = plain_problem(&s, &problem("mode", "this would loop"));
        assert_eq!(text, "This would loop.");
        let text = plain_problem(&s, &problem("components[3]", "is odd"));
        assert_eq!(text, "components[3]: Is odd.");
    }

    #[test]
    fn a_locked_condition_is_named_as_a_learner_sees_it() {
        let mut scenario = crate::state::empty();
        let spec = engine::scenario::ComponentSpec::example("provider").expect("example");
        scenario.components.push(engine::scenario::Component {
            id: "psp".into(),
            name: "Payment provider".into(),
            x: 0.0,
            y: 0.0,
            spec,
        });
        let subject = |path: &str| condition_subject(&scenario, path);
        assert_eq!(subject("psp"), "Payment provider");
        assert_eq!(
            subject("psp.latency.median_ms"),
            "Median of Payment provider"
        );
        assert_eq!(
            subject("psp.failure_probability"),
            "Failure probability of Payment provider"
        );
        assert_eq!(subject("faults"), "The faults");
        assert_eq!(subject("pspx.latency"), "pspx.latency");
    }
}
