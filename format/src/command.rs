//! Changes made to a running simulation, as the app, the CLI and the npm package write them.

use crate::scenario::*;
use serde::Serialize;

/// A change made to a running simulation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    /// Replaces a component's parameters and switches (the kind must stay the same).
    SetComponent {
        /// The component.
        id: String,
        /// Its new parameters.
        spec: ComponentSpec,
    },
    /// Changes whether a wire's sender waits for answers.
    SetWireMode {
        /// Sender id.
        from: String,
        /// Receiver id.
        to: String,
        /// The new mode.
        mode: WireMode,
    },
    /// Changes whether a wire's sender carries on without the answer when the call fails.
    SetWireOptional {
        /// Sender id.
        from: String,
        /// Receiver id.
        to: String,
        /// Whether the call is optional.
        optional: bool,
    },
    /// Adds a fault; one that starts in the past starts now.
    InjectFault(Fault),
    /// Ends a fault now: the `index`-th of the run's faults, counting the scenario's first, then
    /// those injected, in order. One that has not started yet never starts; one already over is
    /// left alone.
    EndFault {
        /// Its position among the run's faults.
        index: usize,
    },
    /// Sets one component field by path (`api.idempotency.enabled`, dots into nested fields),
    /// as a file would write it; the whole component is checked again, as for `SetComponent`.
    Set {
        /// The component's id, then the field.
        path: String,
        /// The new value, as JSON.
        value: serde_json::Value,
    },
    /// Renames a component: logs, traces and snapshots use the new name from now on (an empty
    /// name means the id).
    Rename {
        /// The component.
        id: String,
        /// Its new name.
        name: String,
    },
}

impl Command {
    /// Reads a command written as JSON (`{"command": "set", "path": "api.workers", "value": 8}`);
    /// the message names what is wrong and where.
    pub fn from_json(text: &str) -> Result<Command, crate::ScenarioError> {
        crate::reader::command(text).map_err(Into::into)
    }

    /// Writes the command as JSON, the form [`Command::from_json`] reads.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
