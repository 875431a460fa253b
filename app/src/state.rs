//! The editor's state as a pure reducer: the scenario being edited, the selection, undo and
//! redo, and the notice shown to the user. No DOM, no engine run: it is tested natively.
//!
//! Every edit of the document pushes the previous document on the undo stack, so undo and redo
//! cover every change. [`Editor::apply`] is the one place that decides what an edit means for
//! the running simulation: it returns an [`Effect`], either a command the engine can take live
//! (a parameter, a name, a wire's mode, a new fault) or a rebuild (anything structural).
//! `crate::session` carries the effect out and records the engine's answer.

use engine::scenario::{Component, ComponentSpec, Op, Scenario, Wire, WireMode};
use engine::topology::can_wire;
use engine::Command;

/// Undo steps kept.
const UNDO_LIMIT: usize = 200;

/// A message for the user.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    /// Whether something went wrong (shown in the warning colour).
    pub error: bool,
    /// The text.
    pub text: String,
}

/// What is selected.
#[derive(Debug, Clone, PartialEq)]
pub enum Selection {
    /// A component, by id.
    Component(String),
    /// A wire, by index.
    Wire(usize),
    /// Several components (shift-click), by id.
    Components(Vec<String>),
}

impl Selection {
    /// Whether the component with this id is selected.
    pub fn has_component(&self, id: &str) -> bool {
        match self {
            Selection::Component(c) => c == id,
            Selection::Components(list) => list.iter().any(|c| c == id),
            Selection::Wire(_) => false,
        }
    }
}

/// Where an edit was made, so a refusal is shown there.
#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    /// The inspector of this component.
    Component(String),
    /// The inspector of the wire at this index.
    Wire(usize),
    /// The faults panel.
    Faults,
}

/// The engine's refusal of a live edit, in words, with where the edit was made.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    /// Where the edit was made.
    pub place: Place,
    /// Why the engine refused it.
    pub text: String,
}

/// What an edit means for the running simulation.
// One is made per user edit, never in a loop: the size of a spec inside is no cost worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Nothing: the selection, a card's position, a message, or no change at all.
    Nothing,
    /// The running simulation takes this command; `place` is where a refusal is shown.
    Live {
        /// The command.
        command: Command,
        /// Where the edit was made.
        place: Place,
    },
    /// The simulation is built afresh from the document (and starts again at time zero).
    Rebuild,
}

/// The editor's whole state.
#[derive(Debug, Clone, PartialEq)]
pub struct Editor {
    /// The document being edited.
    pub scenario: Scenario,
    /// The current selection.
    pub selection: Option<Selection>,
    /// Bumped by every edit at all (for autosave).
    pub revision: u64,
    /// Bumped when a whole document is loaded (the canvas fits it into view).
    pub loaded: u64,
    /// A message for the user.
    pub notice: Option<Notice>,
    /// The engine's answer to the last live edit, when it refused it.
    pub refusal: Option<Refusal>,
    undo: Vec<Scenario>,
    redo: Vec<Scenario>,
}

/// Everything the user can do to the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Place a new component of `kind` at (x, y).
    Add { kind: String, x: f64, y: f64 },
    /// Move a component; `record` starts a new undo step (the start of a drag).
    Move {
        id: String,
        x: f64,
        y: f64,
        record: bool,
    },
    /// Wire `from` to `to`.
    Connect { from: String, to: String },
    /// Change what is selected.
    Select(Option<Selection>),
    /// Add a component to the selection, or take it out (shift-click).
    ToggleSelect(String),
    /// Delete what is selected.
    DeleteSelected,
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Replace a component's parameters.
    SetSpec { id: String, spec: ComponentSpec },
    /// Rename a component.
    Rename { id: String, name: String },
    /// Change a wire's mode.
    SetWireMode { index: usize, mode: WireMode },
    /// Makes the wire at an index optional for its sender (a fallback) or required again.
    SetWireOptional { index: usize, optional: bool },
    /// Choose which operations travel a wire (empty: all of them).
    SetWireOps { index: usize, ops: Vec<Op> },
    /// Change the seed.
    SetSeed(u64),
    /// Put a fault on the timeline.
    AddFault(engine::scenario::Fault),
    /// Take a fault off the timeline.
    RemoveFault(usize),
    /// Replace the whole document (an import, a share link, a lesson); says where it came from.
    Load {
        scenario: Box<Scenario>,
        source: String,
    },
    /// Switch to another screen's document (a lesson, the sandbox): like `Load`, but its history
    /// starts empty, so Undo cannot reach into another screen's work.
    Open {
        scenario: Box<Scenario>,
        source: String,
    },
    /// Lay every component out along the wires (one undo step).
    Arrange,
    /// Show or clear a message.
    Notify(Option<Notice>),
}

impl Editor {
    /// An editor holding `scenario`.
    pub fn new(scenario: Scenario) -> Editor {
        Editor {
            scenario,
            selection: None,
            revision: 0,
            loaded: 0,
            notice: None,
            refusal: None,
            undo: Vec::new(),
            redo: Vec::new(),
        }
    }

    /// Whether there is something to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is something to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// The selected component, if a component is selected.
    pub fn selected_component(&self) -> Option<&Component> {
        match &self.selection {
            Some(Selection::Component(id)) => self.scenario.components.iter().find(|c| &c.id == id),
            _ => None,
        }
    }

    fn component_mut(&mut self, id: &str) -> Option<&mut Component> {
        self.scenario.components.iter_mut().find(|c| c.id == id)
    }

    fn record(&mut self) {
        self.undo.push(self.scenario.clone());
        if self.undo.len() > UNDO_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
    }

    fn refuse(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            error: true,
            text: text.into(),
        });
    }

    /// A fresh id for a component of `kind` ("service-2").
    fn fresh_id(&self, kind: &str) -> String {
        (1..)
            .map(|n| {
                if n == 1 {
                    kind.replace('_', "-")
                } else {
                    format!("{}-{n}", kind.replace('_', "-"))
                }
            })
            .find(|id| !self.scenario.components.iter().any(|c| &c.id == id))
            .unwrap_or_else(|| kind.to_string())
    }

    /// Applies one action to the document and says what it means for the running simulation.
    /// This is the one place that decides between a live command and a rebuild.
    pub fn apply(&mut self, action: Action) -> Effect {
        if !matches!(action, Action::Notify(_)) {
            self.refusal = None;
        }
        let effect = self.change(action);
        if effect != Effect::Nothing {
            self.revision += 1;
        }
        effect
    }

    fn change(&mut self, action: Action) -> Effect {
        match action {
            Action::Add { kind, x, y } => self.add(kind, x, y),
            Action::Move { id, x, y, record } => self.move_to(id, x, y, record),
            Action::Connect { from, to } => self.connect(from, to),
            Action::Select(selection) => {
                self.selection = selection;
                Effect::Nothing
            }
            Action::ToggleSelect(id) => self.toggle(id),
            Action::DeleteSelected => match self.selection.take() {
                Some(Selection::Component(id)) => self.delete_components(&[id]),
                Some(Selection::Components(ids)) => self.delete_components(&ids),
                Some(Selection::Wire(i)) if i < self.scenario.wires.len() => {
                    self.record();
                    let w = self.scenario.wires.remove(i);
                    self.scenario.faults.retain(|f| !matches!(&f.fault,
                        engine::scenario::FaultKind::Partition { from, to } if *from == w.from && *to == w.to));
                    Effect::Rebuild
                }
                _ => Effect::Nothing,
            },
            Action::Undo => match self.undo.pop() {
                Some(previous) => {
                    self.redo
                        .push(std::mem::replace(&mut self.scenario, previous));
                    self.after_history_jump()
                }
                None => Effect::Nothing,
            },
            Action::Redo => match self.redo.pop() {
                Some(next) => {
                    self.undo.push(std::mem::replace(&mut self.scenario, next));
                    self.after_history_jump()
                }
                None => Effect::Nothing,
            },
            Action::SetSpec { id, spec } => self.set_spec(id, spec),
            Action::Rename { id, name } => self.rename(id, name),
            Action::SetWireMode { index, mode } => self.change_wire(index, |w| {
                let changed = w.mode != mode;
                w.mode = mode;
                changed.then(|| Command::SetWireMode {
                    from: w.from.clone(),
                    to: w.to.clone(),
                    mode,
                })
            }),
            Action::SetWireOptional { index, optional } => self.change_wire(index, |w| {
                let changed = w.optional != optional;
                w.optional = optional;
                changed.then(|| Command::SetWireOptional {
                    from: w.from.clone(),
                    to: w.to.clone(),
                    optional,
                })
            }),
            Action::SetWireOps { index, ops } => {
                if !self.scenario.wires.get(index).is_some_and(|w| w.ops != ops) {
                    return Effect::Nothing;
                }
                self.record();
                self.scenario.wires[index].ops = ops;
                Effect::Rebuild
            }
            Action::AddFault(fault) => {
                self.record();
                self.scenario.faults.push(fault.clone());
                Effect::Live {
                    command: Command::InjectFault(fault),
                    place: Place::Faults,
                }
            }
            Action::RemoveFault(index) => {
                if index >= self.scenario.faults.len() {
                    return Effect::Nothing;
                }
                self.record();
                self.scenario.faults.remove(index);
                // The engine cannot take a scheduled fault back: the run starts again without it.
                Effect::Rebuild
            }
            Action::SetSeed(seed) => {
                if seed == self.scenario.seed {
                    return Effect::Nothing;
                }
                self.record();
                self.scenario.seed = seed;
                Effect::Rebuild
            }
            Action::Load {
                mut scenario,
                source,
            } => {
                self.record();
                if needs_layout(&scenario) {
                    lay_out(&mut scenario);
                }
                self.scenario = *scenario;
                self.selection = None;
                self.loaded += 1;
                self.notice = Some(Notice {
                    error: false,
                    text: format!("Opened {source}."),
                });
                Effect::Rebuild
            }
            Action::Open { scenario, source } => {
                let effect = self.change(Action::Load { scenario, source });
                self.undo.clear();
                self.redo.clear();
                effect
            }
            Action::Arrange => {
                self.record();
                lay_out(&mut self.scenario);
                self.loaded += 1;
                // Only positions moved, but the whole picture changed: treat it as one.
                Effect::Rebuild
            }
            Action::Notify(notice) => {
                self.notice = notice;
                Effect::Nothing
            }
        }
    }

    /// Places a new component of `kind`.
    fn add(&mut self, kind: String, x: f64, y: f64) -> Effect {
        let Some(spec) = ComponentSpec::example(&kind) else {
            self.refuse(format!("There is no component kind called \"{kind}\"."));
            return Effect::Nothing;
        };
        // A component added to a world with rules for its kind obeys them (a provider added
        // beside a lesson's is as slow as it), and the inspector shows those fields locked.
        let spec = engine::conditions::with_world(&self.scenario.locked, &spec);
        self.record();
        let id = self.fresh_id(&kind);
        let name = spec.info().label.to_string();
        self.scenario.components.push(Component {
            id: id.clone(),
            name,
            x,
            y,
            spec,
        });
        self.selection = Some(Selection::Component(id));
        self.notice = None;
        Effect::Rebuild
    }

    /// Moves a component (with its group, when it is part of a multi-selection).
    fn move_to(&mut self, id: String, x: f64, y: f64, record: bool) -> Effect {
        if record {
            self.record();
        }
        let Some((x0, y0)) = self.component_mut(&id).map(|c| (c.x, c.y)) else {
            return Effect::Nothing;
        };
        // A card dragged inside a multi-selection takes the whole group with it.
        let group: Vec<String> = match &self.selection {
            Some(Selection::Components(ids)) if ids.contains(&id) => ids.clone(),
            _ => vec![id],
        };
        for c in &mut self.scenario.components {
            if group.contains(&c.id) {
                c.x += x - x0;
                c.y += y - y0;
            }
        }
        // Positions are the document's alone: the simulation does not see them. Still
        // an edit (autosave keeps it), but nothing for the engine.
        self.revision += 1;
        Effect::Nothing
    }

    /// Wires `from` to `to`, or says why not.
    fn connect(&mut self, from: String, to: String) -> Effect {
        if from == to {
            self.refuse("A component cannot send requests to itself.");
            return Effect::Nothing;
        }
        let find = |id: &str| self.scenario.components.iter().find(|c| c.id == id);
        let (Some(a), Some(b)) = (find(&from), find(&to)) else {
            return Effect::Nothing;
        };
        if let Err(refused) = can_wire(&a.spec, &b.spec) {
            let reason: Vec<String> = refused.problems.into_iter().map(|p| p.message).collect();
            self.refuse(reason.join(" "));
            return Effect::Nothing;
        }
        if self
            .scenario
            .wires
            .iter()
            .any(|w| w.from == from && w.to == to)
        {
            self.refuse("These two are already wired this way.");
            return Effect::Nothing;
        }
        if a.spec.info().one_output && self.scenario.wires.iter().any(|w| w.from == from) {
            let kind = a.spec.kind_name().replace('_', " ");
            self.refuse(format!(
                "A {kind} sends down exactly one wire: delete its wire first."
            ));
            return Effect::Nothing;
        }
        self.record();
        self.scenario.wires.push(Wire {
            from,
            to,
            mode: WireMode::Sync,
            ops: Vec::new(),
            optional: false,
        });
        self.selection = Some(Selection::Wire(self.scenario.wires.len() - 1));
        self.notice = None;
        Effect::Rebuild
    }

    /// Adds a component to the selection or takes it out.
    fn toggle(&mut self, id: String) -> Effect {
        let mut ids: Vec<String> = match self.selection.take() {
            Some(Selection::Component(c)) => vec![c],
            Some(Selection::Components(list)) => list,
            _ => Vec::new(),
        };
        match ids.iter().position(|c| *c == id) {
            Some(i) => {
                ids.remove(i);
            }
            None => ids.push(id),
        }
        self.selection = match ids.len() {
            0 => None,
            1 => ids.pop().map(Selection::Component),
            _ => Some(Selection::Components(ids)),
        };
        Effect::Nothing
    }

    /// Replaces a component's parameters: live in the running simulation.
    /// A change to the wire at `index` that the run can take live: `change` edits a copy and
    /// returns the command for the run, or None when nothing changed.
    fn change_wire(
        &mut self,
        index: usize,
        change: impl FnOnce(&mut engine::scenario::Wire) -> Option<Command>,
    ) -> Effect {
        let Some(mut wire) = self.scenario.wires.get(index).cloned() else {
            return Effect::Nothing;
        };
        let Some(command) = change(&mut wire) else {
            return Effect::Nothing;
        };
        self.record();
        self.scenario.wires[index] = wire;
        Effect::Live {
            command,
            place: Place::Wire(index),
        }
    }

    fn set_spec(&mut self, id: String, spec: ComponentSpec) -> Effect {
        // A change to the same kind that changes something; an unchanged spec (the same
        // value committed twice) must not cost an undo step.
        let changes = self
            .scenario
            .components
            .iter()
            .any(|c| c.id == id && c.spec.kind_name() == spec.kind_name() && c.spec != spec);
        if !changes {
            return Effect::Nothing;
        }
        self.record();
        if let Some(c) = self.component_mut(&id) {
            c.spec = spec.clone();
        }
        let place = Place::Component(id.clone());
        Effect::Live {
            command: Command::SetComponent { id, spec },
            place,
        }
    }

    /// Renames a component: live in the running simulation.
    fn rename(&mut self, id: String, name: String) -> Effect {
        let name: String = name.chars().take(80).collect();
        let known = self.scenario.components.iter().find(|c| c.id == id);
        if known.is_none_or(|c| c.name == name) {
            return Effect::Nothing;
        }
        self.record();
        if let Some(c) = self.component_mut(&id) {
            c.name = name.clone();
        }
        let place = Place::Component(id.clone());
        Effect::Live {
            command: Command::Rename { id, name },
            place,
        }
    }

    /// Deletes components with their wires and the faults that name them, as one undo step.
    fn delete_components(&mut self, ids: &[String]) -> Effect {
        self.record();
        let gone = |id: &str| ids.iter().any(|g| g == id);
        self.scenario.components.retain(|c| !gone(&c.id));
        self.scenario
            .wires
            .retain(|w| !gone(&w.from) && !gone(&w.to));
        self.scenario
            .faults
            .retain(|f| !ids.iter().any(|id| fault_mentions(f, id)));
        Effect::Rebuild
    }

    fn after_history_jump(&mut self) -> Effect {
        let exists = |id: &str| self.scenario.components.iter().any(|c| c.id == id);
        self.selection = match self.selection.take() {
            Some(Selection::Component(id)) if exists(&id) => Some(Selection::Component(id)),
            Some(Selection::Wire(i)) if i < self.scenario.wires.len() => Some(Selection::Wire(i)),
            Some(Selection::Components(ids)) if ids.iter().all(|id| exists(id)) => {
                Some(Selection::Components(ids))
            }
            _ => None,
        };
        self.notice = None;
        Effect::Rebuild
    }
}

fn fault_mentions(f: &engine::scenario::Fault, id: &str) -> bool {
    use engine::scenario::FaultKind::*;
    match &f.fault {
        TrafficSpike { target, .. }
        | Crash { target }
        | Latency { target, .. }
        | Errors { target, .. }
        | ReplicationLag { target, .. }
        | ContractChange { target, .. }
        | SlowQuery { target } => target == id,
        Partition { from, to } => from == id || to == id,
    }
}

/// What to call a component: its name, or its id when it has none.
pub fn display_name(c: &engine::scenario::Component) -> &str {
    if c.name.trim().is_empty() {
        &c.id
    } else {
        &c.name
    }
}

/// What to call the component `id` in a sentence: its name, else its id (also when no component
/// has that id).
pub fn display_name_of(scenario: &Scenario, id: &str) -> String {
    scenario
        .components
        .iter()
        .find(|c| c.id == id)
        .map_or(id.to_string(), |c| display_name(c).to_string())
}

/// Whether the components need laying out: a file written by hand or by a tool may leave
/// positions out, and then every card would sit on the same spot.
fn needs_layout(s: &Scenario) -> bool {
    s.components.iter().enumerate().any(|(i, a)| {
        s.components[i + 1..]
            .iter()
            .any(|b| (a.x - b.x).abs() < 20.0 && (a.y - b.y).abs() < 20.0)
    })
}

/// Lays components out left to right along their wires: a column per step from the nearest
/// component nothing sends to, a row per component within a column.
fn lay_out(s: &mut Scenario) {
    let n = s.components.len();
    let index = |id: &str| s.components.iter().position(|c| c.id == id);
    let edges: Vec<(usize, usize)> = s
        .wires
        .iter()
        .filter_map(|w| Some((index(&w.from)?, index(&w.to)?)))
        .collect();
    let mut depth: Vec<Option<usize>> = (0..n)
        .map(|i| (!edges.iter().any(|&(_, to)| to == i)).then_some(0))
        .collect();
    if depth.iter().all(Option::is_none) && n > 0 {
        depth[0] = Some(0);
    }
    // Breadth first, each component once; a cycle cannot loop.
    let mut queue: std::collections::VecDeque<usize> =
        (0..n).filter(|&i| depth[i].is_some()).collect();
    while let Some(i) = queue.pop_front() {
        let d = depth[i].unwrap_or(0);
        for &(from, to) in &edges {
            if from == i && depth[to].is_none() {
                depth[to] = Some(d + 1);
                queue.push_back(to);
            }
        }
    }
    let mut rows = vec![0usize; n + 1];
    for (i, c) in s.components.iter_mut().enumerate() {
        let col = depth[i].unwrap_or(0).min(n);
        c.x = 60.0 + 260.0 * col as f64;
        c.y = 60.0 + 120.0 * rows[col] as f64;
        rows[col] += 1;
    }
}

/// Whether a document is small enough to open in the editor. A file or a link may hold
/// anything, and the canvas draws every part; any other problem is opened and shown in place, to
/// be fixed there.
pub fn editable(s: &Scenario) -> Result<(), String> {
    use engine::topology::{MAX_COMPONENTS, MAX_FAULTS, MAX_GOALS, MAX_WIRES};
    let counts = [
        (s.components.len(), MAX_COMPONENTS, "components"),
        (s.wires.len(), MAX_WIRES, "wires"),
        (s.faults.len(), MAX_FAULTS, "faults"),
        (s.goals.len(), MAX_GOALS, "goals"),
    ];
    match counts.into_iter().find(|(n, max, _)| n > max) {
        Some((n, max, what)) => Err(format!(
            "it has {n} {what}, and the playground handles at most {max}."
        )),
        None => Ok(()),
    }
}

/// The scenario a newcomer starts with: users, an API and a database, ready to play.
pub fn starter() -> Scenario {
    let text = include_str!("starter.json");
    Scenario::from_json(text).unwrap_or_else(|_| empty())
}

/// An empty canvas.
pub fn empty() -> Scenario {
    Scenario {
        version: engine::scenario::SCENARIO_VERSION,
        name: "Sandbox".into(),
        seed: 1,
        duration_s: 3_600.0,
        window_ms: 100.0,
        trace_every: 50,
        access_log_every: 20,
        components: Vec::new(),
        wires: Vec::new(),
        faults: Vec::new(),
        goals: Vec::new(),
        locked: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn editor() -> Editor {
        Editor::new(empty())
    }

    #[test]
    fn a_component_added_to_a_world_with_kind_rules_takes_the_worlds_values() {
        let mut world = empty();
        world.locked.push(engine::scenario::Lock {
            path: "kind:provider.failure_probability".into(),
            value: serde_json::json!(0.3),
            why: "Someone else's system.".into(),
        });
        let mut e = Editor::new(world);
        e.apply(Action::Add {
            kind: "provider".into(),
            x: 0.0,
            y: 0.0,
        });
        let added = e.scenario.components.last().expect("added");
        let engine::scenario::ComponentSpec::Provider(p) = &added.spec else {
            panic!("a provider");
        };
        assert_eq!(p.failure_probability, 0.3);
        assert!(engine::conditions::changed(&e.scenario).is_empty());
        let locks = crate::components::inspector::locks_of(&e.scenario, &added.id);
        assert_eq!(
            locks,
            [(
                "failure_probability".to_string(),
                "Someone else's system.".to_string()
            )]
        );
    }

    #[test]
    fn add_connect_undo_redo() {
        let mut e = editor();
        e.apply(Action::Add {
            kind: "client".into(),
            x: 0.0,
            y: 0.0,
        });
        e.apply(Action::Add {
            kind: "service".into(),
            x: 200.0,
            y: 0.0,
        });
        e.apply(Action::Connect {
            from: "client".into(),
            to: "service".into(),
        });
        assert_eq!(e.scenario.wires.len(), 1);
        assert_eq!(e.scenario.components[1].name, "Service");
        e.apply(Action::Undo);
        assert!(e.scenario.wires.is_empty());
        e.apply(Action::Undo);
        assert_eq!(e.scenario.components.len(), 1);
        e.apply(Action::Redo);
        e.apply(Action::Redo);
        assert_eq!(e.scenario.wires.len(), 1);
        assert!(!e.can_redo());
    }

    #[test]
    fn an_import_can_be_undone_but_opening_another_screen_starts_afresh() {
        let mut e = editor();
        e.apply(Action::Add {
            kind: "client".into(),
            x: 0.0,
            y: 0.0,
        });
        let mine = e.scenario.clone();
        e.apply(Action::Load {
            scenario: Box::new(starter()),
            source: "a file".into(),
        });
        e.apply(Action::Undo);
        assert_eq!(e.scenario, mine, "an import is one undo step");
        let loaded = e.loaded;
        e.apply(Action::Open {
            scenario: Box::new(starter()),
            source: "the sandbox".into(),
        });
        assert_eq!(e.scenario, starter());
        assert_eq!(e.loaded, loaded + 1, "the canvas fits the new document");
        assert!(!e.can_undo() && !e.can_redo());
    }

    #[test]
    fn a_file_without_positions_is_laid_out_along_its_wires() {
        let mut s = starter();
        for c in &mut s.components {
            (c.x, c.y) = (0.0, 0.0);
        }
        s.components.push(engine::scenario::Component {
            id: "extra".into(),
            ..s.components[2].clone()
        });
        s.wires.push(engine::scenario::Wire {
            from: "api".into(),
            to: "extra".into(),
            mode: Default::default(),
            ops: Vec::new(),
            optional: false,
        });
        let mut e = editor();
        e.apply(Action::Load {
            scenario: Box::new(s),
            source: "a file".into(),
        });
        fn at(e: &Editor, id: &str) -> (f64, f64) {
            let c = e.scenario.components.iter().find(|c| c.id == id).expect(id);
            (c.x, c.y)
        }
        assert!(
            at(&e, "users").0 < at(&e, "api").0 && at(&e, "api").0 < at(&e, "db").0,
            "left to right"
        );
        assert_eq!(
            at(&e, "db").0,
            at(&e, "extra").0,
            "both called by the API: one column"
        );
        assert_ne!(at(&e, "db").1, at(&e, "extra").1, "one row each");
        assert!(!needs_layout(&e.scenario));
        // Arranging is one undo step.
        let arranged = e.scenario.clone();
        e.apply(Action::Move {
            id: "db".into(),
            x: 900.0,
            y: 900.0,
            record: true,
        });
        e.apply(Action::Arrange);
        assert_eq!(e.scenario, arranged);
        e.apply(Action::Undo);
        assert_eq!(at(&e, "db"), (900.0, 900.0));
        // A document that already has a layout keeps it.
        let mine = starter();
        e.apply(Action::Load {
            scenario: Box::new(mine.clone()),
            source: "a file".into(),
        });
        assert_eq!(e.scenario, mine);
    }

    #[test]
    fn dragging_a_card_of_a_multi_selection_moves_the_group_in_one_step() {
        let mut e = Editor::new(starter());
        let before = e.scenario.clone();
        e.apply(Action::ToggleSelect("api".into()));
        e.apply(Action::ToggleSelect("db".into()));
        let (api, db, users) = (
            before.components[1].clone(),
            before.components[2].clone(),
            before.components[0].clone(),
        );
        for (step, record) in [(10.0, true), (25.0, false)] {
            e.apply(Action::Move {
                id: "api".into(),
                x: api.x + step,
                y: api.y - step,
                record,
            });
        }
        let now = |id: &str| e.scenario.components.iter().find(|c| c.id == id).cloned();
        assert_eq!(
            now("db").map(|c| (c.x, c.y)),
            Some((db.x + 25.0, db.y - 25.0))
        );
        assert_eq!(now("users").map(|c| (c.x, c.y)), Some((users.x, users.y)));
        e.apply(Action::Undo);
        assert_eq!(e.scenario, before, "the whole drag is one undo step");
    }

    /// Every action, and what it means for the running simulation: the one path for edits.
    #[test]
    fn every_action_says_whether_it_is_live_a_rebuild_or_nothing() {
        use engine::scenario::{Fault, FaultKind};
        let mut e = Editor::new(starter());
        let live = |e: &Editor, effect: Effect, expected: Command, place: Place| {
            assert_eq!(
                effect,
                Effect::Live {
                    command: expected,
                    place
                },
                "{:?}",
                e.notice
            );
        };
        // Selection and messages are not edits.
        let revision = e.revision;
        let select = Action::Select(Some(Selection::Component("api".into())));
        assert_eq!(e.apply(select), Effect::Nothing);
        assert_eq!(e.apply(Action::ToggleSelect("db".into())), Effect::Nothing);
        assert_eq!(e.apply(Action::Notify(None)), Effect::Nothing);
        assert_eq!(e.revision, revision, "nothing to autosave");
        // Moving a card is an edit of the document the engine does not see.
        let moved = Action::Move {
            id: "api".into(),
            x: 5.0,
            y: 5.0,
            record: true,
        };
        assert_eq!(e.apply(moved), Effect::Nothing);
        assert_eq!(e.revision, revision + 1, "autosave keeps positions");
        // Parameters, names, wire modes and new faults reach the running simulation.
        let mut spec = e.scenario.components[1].spec.clone();
        if let ComponentSpec::Service(s) = &mut spec {
            s.workers += 1;
        }
        let effect = e.apply(Action::SetSpec {
            id: "api".into(),
            spec: spec.clone(),
        });
        let command = Command::SetComponent {
            id: "api".into(),
            spec,
        };
        live(&e, effect, command, Place::Component("api".into()));
        let effect = e.apply(Action::Rename {
            id: "api".into(),
            name: "Checkout".into(),
        });
        let command = Command::Rename {
            id: "api".into(),
            name: "Checkout".into(),
        };
        live(&e, effect, command, Place::Component("api".into()));
        let effect = e.apply(Action::SetWireMode {
            index: 0,
            mode: WireMode::Async,
        });
        let command = Command::SetWireMode {
            from: "users".into(),
            to: "api".into(),
            mode: WireMode::Async,
        };
        live(&e, effect, command, Place::Wire(0));
        let fault = Fault {
            at_s: 1.0,
            duration_s: Some(2.0),
            fault: FaultKind::Crash {
                target: "db".into(),
            },
        };
        let effect = e.apply(Action::AddFault(fault.clone()));
        live(&e, effect, Command::InjectFault(fault), Place::Faults);
        // The same value again is no edit at all.
        let same = Action::SetWireMode {
            index: 0,
            mode: WireMode::Async,
        };
        assert_eq!(e.apply(same), Effect::Nothing);
        let same = Action::Rename {
            id: "api".into(),
            name: "Checkout".into(),
        };
        assert_eq!(e.apply(same), Effect::Nothing);
        // Structure, history, seeds, removed faults and whole documents rebuild.
        let ops = Action::SetWireOps {
            index: 1,
            ops: vec![Op::Read],
        };
        assert_eq!(e.apply(ops.clone()), Effect::Rebuild);
        assert_eq!(e.apply(ops), Effect::Nothing, "unchanged ops");
        assert_eq!(e.apply(Action::RemoveFault(0)), Effect::Rebuild);
        assert_eq!(e.apply(Action::RemoveFault(9)), Effect::Nothing);
        assert_eq!(e.apply(Action::SetSeed(7)), Effect::Rebuild);
        assert_eq!(e.apply(Action::SetSeed(7)), Effect::Nothing);
        assert_eq!(e.apply(Action::Undo), Effect::Rebuild);
        assert_eq!(e.apply(Action::Redo), Effect::Rebuild);
        assert_eq!(e.apply(Action::Redo), Effect::Nothing, "nothing to redo");
        assert_eq!(e.apply(Action::Arrange), Effect::Rebuild);
        let add = Action::Add {
            kind: "cache".into(),
            x: 0.0,
            y: 0.0,
        };
        assert_eq!(e.apply(add), Effect::Rebuild);
        let connect = Action::Connect {
            from: "cache".into(),
            to: "db".into(),
        };
        assert_eq!(e.apply(connect.clone()), Effect::Rebuild);
        assert_eq!(e.apply(connect), Effect::Nothing, "refused: already wired");
        assert_eq!(e.apply(Action::DeleteSelected), Effect::Rebuild, "the wire");
        assert_eq!(e.apply(Action::DeleteSelected), Effect::Nothing);
        let select = Action::Select(Some(Selection::Component("cache".into())));
        e.apply(select);
        assert_eq!(e.apply(Action::DeleteSelected), Effect::Rebuild);
        let load = Action::Load {
            scenario: Box::new(starter()),
            source: "a file".into(),
        };
        assert_eq!(e.apply(load), Effect::Rebuild);
        let open = Action::Open {
            scenario: Box::new(starter()),
            source: "a lesson".into(),
        };
        assert_eq!(e.apply(open), Effect::Rebuild);
        let unknown = Action::Add {
            kind: "teapot".into(),
            x: 0.0,
            y: 0.0,
        };
        assert_eq!(e.apply(unknown), Effect::Nothing);
    }

    #[test]
    fn wire_ops_and_modes_are_undone_like_any_edit() {
        let mut e = Editor::new(starter());
        e.apply(Action::SetWireMode {
            index: 0,
            mode: WireMode::Async,
        });
        e.apply(Action::SetWireOps {
            index: 1,
            ops: vec![Op::Read],
        });
        assert_eq!(e.scenario.wires[1].ops, [Op::Read]);
        e.apply(Action::Undo);
        assert!(e.scenario.wires[1].ops.is_empty());
        e.apply(Action::Undo);
        assert_eq!(e.scenario.wires[0].mode, WireMode::Sync);
    }

    #[test]
    fn illegal_wires_are_refused_with_a_reason() {
        let mut e = editor();
        e.apply(Action::Add {
            kind: "service".into(),
            x: 0.0,
            y: 0.0,
        });
        e.apply(Action::Add {
            kind: "client".into(),
            x: 0.0,
            y: 0.0,
        });
        e.apply(Action::Connect {
            from: "service".into(),
            to: "client".into(),
        });
        assert!(e.scenario.wires.is_empty());
        let notice = e.notice.clone().expect("a reason");
        assert!(
            notice.error && notice.text.contains("cannot send to a client"),
            "{}",
            notice.text
        );
        e.apply(Action::Connect {
            from: "client".into(),
            to: "client".into(),
        });
        assert!(e.scenario.wires.is_empty());
    }

    #[test]
    fn a_client_has_one_outgoing_wire() {
        let mut e = editor();
        for kind in ["client", "service", "service"] {
            e.apply(Action::Add {
                kind: kind.into(),
                x: 0.0,
                y: 0.0,
            });
        }
        e.apply(Action::Connect {
            from: "client".into(),
            to: "service".into(),
        });
        e.apply(Action::Connect {
            from: "client".into(),
            to: "service-2".into(),
        });
        assert_eq!(e.scenario.wires.len(), 1);
        assert!(e
            .notice
            .as_ref()
            .is_some_and(|n| n.text.contains("exactly one wire")));
    }

    #[test]
    fn deleting_a_component_takes_its_wires_and_faults() {
        let mut e = Editor::new(starter());
        let before = e.scenario.wires.len();
        e.apply(Action::Select(Some(Selection::Component("api".into()))));
        e.apply(Action::DeleteSelected);
        assert!(e.scenario.components.iter().all(|c| c.id != "api"));
        assert!(e.scenario.wires.len() < before);
        assert!(e
            .scenario
            .wires
            .iter()
            .all(|w| w.from != "api" && w.to != "api"));
        e.apply(Action::Undo);
        assert_eq!(e.scenario.wires.len(), before);
    }

    #[test]
    fn shift_click_selects_several_and_deletes_them_in_one_step() {
        let mut e = Editor::new(starter());
        e.apply(Action::Select(Some(Selection::Component("api".into()))));
        e.apply(Action::ToggleSelect("db".into()));
        assert_eq!(
            e.selection,
            Some(Selection::Components(vec!["api".into(), "db".into()]))
        );
        e.apply(Action::ToggleSelect("api".into()));
        assert_eq!(e.selection, Some(Selection::Component("db".into())));
        e.apply(Action::ToggleSelect("users".into()));
        e.apply(Action::DeleteSelected);
        assert_eq!(e.scenario.components.len(), 1);
        assert!(e.scenario.wires.is_empty());
        e.apply(Action::Undo);
        assert_eq!(e.scenario.components.len(), 3);
        assert_eq!(e.scenario.wires.len(), 2);
    }

    #[test]
    fn committing_an_unchanged_value_costs_no_undo_step() {
        let mut e = Editor::new(starter());
        let spec = e.scenario.components[0].spec.clone();
        e.apply(Action::SetSpec {
            id: "users".into(),
            spec,
        });
        e.apply(Action::Rename {
            id: "users".into(),
            name: "Users".into(),
        });
        assert!(!e.can_undo());
    }

    #[test]
    fn a_drag_is_one_undo_step() {
        let mut e = Editor::new(starter());
        let x0 = e.scenario.components[0].x;
        e.apply(Action::Move {
            id: "users".into(),
            x: x0 + 1.0,
            y: 0.0,
            record: true,
        });
        for i in 2..20 {
            e.apply(Action::Move {
                id: "users".into(),
                x: x0 + f64::from(i),
                y: 0.0,
                record: false,
            });
        }
        e.apply(Action::Undo);
        assert_eq!(e.scenario.components[0].x, x0);
    }

    #[test]
    fn every_palette_kind_has_a_valid_example() {
        for kind in engine::scenario::KINDS {
            let spec = ComponentSpec::example(kind).expect("an example");
            let subject = engine::topology::Subject::Scenario;
            engine::topology::check_spec(&subject, &spec).unwrap_or_else(|e| panic!("{kind}: {e}"));
        }
    }

    #[test]
    fn the_starter_scenario_is_valid() {
        engine::Simulation::new(&starter()).expect("the starter scenario runs");
    }
}
