//! Faults on the timeline, and switches flipped mid-run. A fault changes a component's `Mods`
//! (or a wire's partition flag) when it starts and undoes the change when it ends. Faults of the
//! same kind on the same target add up (latency, errors) or the last one to end wins (flags).

use crate::components::State;
use crate::observe::Level;
use crate::scenario::{ComponentSpec, FaultKind};
use crate::simulation::{FaultPhase, Simulation};

impl Simulation {
    fn fault_target(&self, id: &str) -> Option<usize> {
        self.topology.index_of(id)
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline(never))] // rare: out of the event loop
    pub(crate) fn fault_start(&mut self, index: usize) {
        if self.fault_phases.get(index) == Some(&FaultPhase::Waiting) {
            self.fault_phases[index] = FaultPhase::Active;
            self.fault_times[index].0 = Some(self.now);
            self.fault_switch(index, true);
        }
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline(never))] // rare: out of the event loop
    pub(crate) fn fault_end(&mut self, index: usize) {
        if self.fault_phases.get(index) == Some(&FaultPhase::Active) {
            self.fault_phases[index] = FaultPhase::Over;
            self.fault_times[index].1 = Some(self.now);
            self.fault_switch(index, false);
        }
    }

    fn fault_switch(&mut self, index: usize, on: bool) {
        let Some(fault) = self.faults.get(index).map(|f| f.fault.clone()) else {
            return;
        };
        match fault {
            FaultKind::TrafficSpike { target, multiplier } => {
                if let Some(c) = self.fault_target(&target) {
                    self.mods[c].rate_multiplier = if on { multiplier } else { 1.0 };
                    self.arm_client(c);
                }
            }
            FaultKind::Crash { target } => {
                if let Some(c) = self.fault_target(&target) {
                    if on {
                        self.crash(c);
                    } else {
                        self.recover(c);
                    }
                }
            }
            FaultKind::Latency { target, add_ms } => {
                if let Some(c) = self.fault_target(&target) {
                    let m = &mut self.mods[c];
                    m.add_latency_ms =
                        (m.add_latency_ms + if on { add_ms } else { -add_ms }).max(0.0);
                }
            }
            FaultKind::Errors {
                target,
                probability,
            } => {
                if let Some(c) = self.fault_target(&target) {
                    let m = &mut self.mods[c];
                    m.add_error =
                        (m.add_error + if on { probability } else { -probability }).clamp(0.0, 1.0);
                }
            }
            FaultKind::Partition { from, to } => {
                let (Some(a), Some(b)) = (self.fault_target(&from), self.fault_target(&to)) else {
                    return;
                };
                if let Some(edge) = self.topology.nodes[a].downstream.iter().find(|e| e.to == b) {
                    if let Some(p) = self.partitioned.get_mut(edge.wire) {
                        *p = on;
                    }
                }
            }
            FaultKind::ReplicationLag { target, multiplier } => {
                if let Some(c) = self.fault_target(&target) {
                    self.mods[c].lag_multiplier = if on { multiplier } else { 1.0 };
                }
            }
            FaultKind::ContractChange { target, contract } => {
                if let Some(c) = self.fault_target(&target) {
                    self.mods[c].contract = on.then_some(contract);
                    if on {
                        self.log(Level::Info, c, || {
                            format!("deployed: responses now use format v{contract}")
                        });
                    }
                }
            }
            FaultKind::SlowQuery { target } => {
                if let Some(c) = self.fault_target(&target) {
                    self.mods[c].index_dropped = on;
                    if on {
                        self.log(Level::Info, c, || "migration applied: index dropped".into());
                    }
                }
            }
        }
    }

    /// A component stops: work in progress is lost, caches go cold, new calls are refused.
    fn crash(&mut self, comp: usize) {
        if self.mods[comp].crashed {
            return;
        }
        self.mods[comp].crashed = true;
        self.log(Level::Error, comp, || "process exited unexpectedly".into());
        self.crash_station(comp);
        if let State::Cache(c) = &mut self.state[comp] {
            c.clear();
        }
    }

    /// A component comes back, empty.
    fn recover(&mut self, comp: usize) {
        if !self.mods[comp].crashed {
            return;
        }
        self.mods[comp].crashed = false;
        self.log(Level::Info, comp, || "process started".into());
        match self.topology.nodes[comp].spec {
            ComponentSpec::Queue(_) => self.dispatch(comp),
            ComponentSpec::Workers(_) => self.pull_for(comp),
            _ => {}
        }
    }

    /// A component's parameters changed mid-run: bring its live state in line.
    pub(crate) fn respec(&mut self, comp: usize) {
        self.arm_autoscaler(comp);
        let total_users = self.total_users();
        match &self.topology.nodes[comp].spec {
            ComponentSpec::Client(spec) => {
                let spec = spec.clone();
                if let State::Client(c) = &mut self.state[comp] {
                    c.respec(&spec);
                }
                self.arm_client(comp);
            }
            ComponentSpec::RateLimiter(spec) => {
                let spec = spec.clone();
                if let State::RateLimiter(l) = &mut self.state[comp] {
                    l.respec(&spec, total_users);
                }
            }
            ComponentSpec::Queue(_) => self.dispatch(comp),
            _ => {
                if self.state[comp].station().is_some() {
                    self.fill_workers(comp);
                }
                if matches!(self.topology.nodes[comp].spec, ComponentSpec::Workers(_)) {
                    self.pull_for(comp);
                }
            }
        }
    }

    fn total_users(&self) -> u32 {
        self.topology
            .nodes
            .iter()
            .map(|n| match &n.spec {
                ComponentSpec::Client(c) => c.users,
                _ => 0,
            })
            .fold(0u32, u32::saturating_add)
    }
}
