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
        engine::topology::Subject::Scenario => format!("{}: {message}.", p.field),
    }
}
