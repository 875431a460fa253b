//! One editing session: the document ([`Editor`]) and the simulation that follows it, kept in
//! step by one function, [`Session::edit`]. No DOM: it is tested natively.
//!
//! The document is the truth. An edit the engine can take live reaches the running simulation
//! through `Simulation::apply`; when the engine refuses one, its reason is kept where the edit
//! was made ([`crate::state::Refusal`]) and the simulation is rebuilt from the document, so the
//! two never disagree. Everything structural rebuilds. Nothing drops the engine's answer.

use crate::state::{Action, Editor, Effect, Refusal};
use engine::{ScenarioError, SimTime, Simulation};

/// What an edit did to the simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing the simulation sees changed.
    Unchanged,
    /// The running simulation took the change.
    Live,
    /// The simulation was built afresh from the document (it may now fail to build).
    Rebuilt,
    /// The engine refused the live change; the reason is in `editor.refusal`, and the
    /// simulation was rebuilt from the document.
    Refused,
}

/// The document being edited and the simulation of it.
#[derive(Debug)]
pub struct Session {
    /// The document, its selection, history and messages.
    pub editor: Editor,
    sim: Option<Simulation>,
    build_error: Option<ScenarioError>,
    /// Bumped by every change to the document or the simulation, so views know to redraw.
    version: u64,
}

impl Session {
    /// A session on `editor`'s document, its simulation built (or the reason it cannot be).
    pub fn new(editor: Editor) -> Session {
        let mut session = Session {
            editor,
            sim: None,
            build_error: None,
            version: 0,
        };
        session.rebuild();
        session
    }

    /// The one path for edits: the document changes, then the simulation follows, live or by a
    /// rebuild, as [`Editor::apply`] decides.
    pub fn edit(&mut self, action: Action) -> Outcome {
        self.version += 1;
        match self.editor.apply(action) {
            Effect::Nothing => Outcome::Unchanged,
            Effect::Rebuild => {
                self.rebuild();
                Outcome::Rebuilt
            }
            Effect::Live { command, place } => {
                let Some(sim) = self.sim.as_mut() else {
                    // Nothing runs (the document had problems): the edit may have fixed them.
                    self.rebuild();
                    return Outcome::Rebuilt;
                };
                match sim.apply(command) {
                    Ok(()) => Outcome::Live,
                    Err(e) => {
                        let text = e
                            .problems
                            .iter()
                            .map(|p| crate::problems::plain_problem(&self.editor.scenario, p))
                            .collect::<Vec<_>>()
                            .join(" ");
                        self.editor.refusal = Some(Refusal { place, text });
                        self.rebuild();
                        Outcome::Refused
                    }
                }
            }
        }
    }

    /// Builds the simulation afresh from the document: time zero, same seed.
    pub fn rebuild(&mut self) {
        self.version += 1;
        match Simulation::new(&self.editor.scenario) {
            Ok(sim) => {
                self.sim = Some(sim);
                self.build_error = None;
            }
            Err(e) => {
                self.sim = None;
                self.build_error = Some(e);
            }
        }
    }

    /// Advances the simulation by `step_us` of simulated time (not past its end), processing at
    /// most `max_events` events.
    pub fn advance(&mut self, step_us: u64, max_events: u64) {
        if let Some(sim) = self.sim.as_mut() {
            let deadline: SimTime = sim.now().plus_us(step_us).min(sim.end());
            sim.run_until_bounded(deadline, max_events);
            self.version += 1;
        }
    }

    /// The running simulation, when the document builds.
    pub fn sim(&self) -> Option<&Simulation> {
        self.sim.as_ref()
    }

    /// Why the document does not build, when it does not.
    pub fn build_error(&self) -> Option<&ScenarioError> {
        self.build_error.as_ref()
    }

    /// Whether there is something to run: the document builds and is not empty.
    pub fn runnable(&self) -> bool {
        self.sim.is_some() && !self.editor.scenario.components.is_empty()
    }

    /// Bumped by every change; equal versions draw the same.
    pub fn version(&self) -> u64 {
        self.version
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{starter, Place, Selection};
    use engine::scenario::{ComponentSpec, WireMode};

    fn running() -> Session {
        let mut s = Session::new(Editor::new(starter()));
        s.advance(2_000_000, u64::MAX);
        s
    }

    fn now(s: &Session) -> f64 {
        s.sim().map_or(-1.0, |sim| sim.now().as_secs())
    }

    #[test]
    fn a_live_edit_keeps_the_run_going_and_a_structural_one_starts_it_again() {
        let mut s = running();
        let mut spec = s.editor.scenario.components[1].spec.clone();
        if let ComponentSpec::Service(svc) = &mut spec {
            svc.workers = 9;
        }
        let outcome = s.edit(Action::SetSpec {
            id: "api".into(),
            spec: spec.clone(),
        });
        assert_eq!(outcome, Outcome::Live);
        assert!(now(&s) >= 2.0, "the run went on");
        let sim = s.sim().expect("runs");
        let api = sim.topology().index_of("api").expect("api");
        assert_eq!(sim.topology().nodes[api].spec, spec, "the engine has it");
        assert_eq!(s.edit(Action::Arrange), Outcome::Rebuilt);
        assert_eq!(now(&s), 0.0, "started again");
    }

    #[test]
    fn a_refused_live_edit_says_why_where_it_was_made_and_the_run_follows_the_document() {
        let mut s = running();
        // A wire made asynchronous, then a loop of synchronous calls back: the engine refuses
        // to make the first one synchronous again.
        s.edit(Action::Add {
            kind: "service".into(),
            x: 0.0,
            y: 0.0,
        });
        s.edit(Action::Connect {
            from: "api".into(),
            to: "service".into(),
        });
        let back = s.editor.scenario.wires.len() - 1;
        s.edit(Action::SetWireMode {
            index: back,
            mode: WireMode::Async,
        });
        s.edit(Action::Connect {
            from: "service".into(),
            to: "api".into(),
        });
        assert!(s.build_error().is_none(), "{:?}", s.build_error());
        s.advance(1_000_000, u64::MAX);
        let outcome = s.edit(Action::SetWireMode {
            index: back,
            mode: WireMode::Sync,
        });
        assert_eq!(outcome, Outcome::Refused);
        let refusal = s.editor.refusal.clone().expect("a reason");
        assert_eq!(refusal.place, Place::Wire(back));
        assert!(
            refusal.text.contains("loop of waiting calls"),
            "{}",
            refusal.text
        );
        // The document keeps what the user chose; the simulation was rebuilt from it and says
        // what is wrong, so the two never disagree.
        assert_eq!(s.editor.scenario.wires[back].mode, WireMode::Sync);
        assert!(s.sim().is_none() && s.build_error().is_some());
        // Undo puts it right, and the refusal goes with the next edit.
        assert_eq!(s.edit(Action::Undo), Outcome::Rebuilt);
        assert!(s.sim().is_some() && s.editor.refusal.is_none());
    }

    #[test]
    fn an_edit_to_a_document_that_does_not_build_rebuilds_it() {
        let mut s = Session::new(Editor::new(starter()));
        let mut spec = s.editor.scenario.components[1].spec.clone();
        let good = spec.clone();
        if let ComponentSpec::Service(svc) = &mut spec {
            svc.workers = 0;
        }
        let mut broken = starter();
        broken.components[1].spec = spec;
        s.edit(Action::Load {
            scenario: Box::new(broken),
            source: "a file".into(),
        });
        assert!(s.sim().is_none(), "0 workers does not build");
        let outcome = s.edit(Action::SetSpec {
            id: "api".into(),
            spec: good,
        });
        assert_eq!(outcome, Outcome::Rebuilt);
        assert!(s.sim().is_some() && s.runnable());
    }

    #[test]
    fn selection_changes_leave_the_run_alone() {
        let mut s = running();
        let select = Action::Select(Some(Selection::Component("db".into())));
        assert_eq!(s.edit(select), Outcome::Unchanged);
        assert!(now(&s) >= 2.0);
    }
}
