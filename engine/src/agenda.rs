//! Future events, ordered by time and then by the order they were scheduled.
//!
//! Ties at the same microsecond are first-in-first-out, which makes every run reproducible
//! whatever the heap's internal layout.
//!
//! Most events need no heap. About half happen "now" (a call delivered, an answer returned, with
//! no delay in between), and most of the rest of a busy run are call timeouts, each a fixed delay
//! after the call it guards: many thousands waiting at once, nearly all of them for calls long
//! answered. Events scheduled the same fixed delay after the current time arrive in time order,
//! so each such delay gets a plain FIFO line (a "lane"; "now" is the lane of delay zero), and
//! only events with other delays go to the heap. `pop` takes whichever front has the smallest
//! (time, sequence), so the order is exactly the heap-only order; the heap stays small, and a
//! pop does not sift through every pending timeout.

use crate::time::SimTime;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

/// One scheduled event: when, a tie-breaking sequence number, and what.
#[derive(Debug, Clone)]
struct Entry<E> {
    at: SimTime,
    seq: u64,
    event: E,
}

impl<E> Entry<E> {
    fn key(&self) -> (SimTime, u64) {
        (self.at, self.seq)
    }
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.at == other.at && self.seq == other.seq
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    // Reversed so that `BinaryHeap`, a max-heap, pops the earliest (time, seq) first.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .at
            .cmp(&self.at)
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

/// Events scheduled one fixed delay after the time they were scheduled at: in time order.
#[derive(Debug, Clone)]
struct Lane<E> {
    delay_us: u64,
    line: VecDeque<Entry<E>>,
}

/// At most this many lanes (delay zero and the scenario's distinct timeouts); an event with
/// yet another delay goes to the heap, which orders it just the same.
const MAX_LANES: usize = 8;

/// A min-heap of future events keyed by (time, sequence), plus FIFO lanes for events at the
/// current time and for fixed delays.
#[derive(Debug, Clone)]
pub struct Agenda<E> {
    heap: BinaryHeap<Entry<E>>,
    /// Lane 0 holds the events for now; the others are made as fixed delays are first used.
    lanes: Vec<Lane<E>>,
    /// Time of the last event popped: nothing may be scheduled before it.
    current: SimTime,
    next_seq: u64,
}

impl<E> Default for Agenda<E> {
    fn default() -> Self {
        Agenda {
            heap: BinaryHeap::new(),
            lanes: vec![Lane {
                delay_us: 0,
                line: VecDeque::new(),
            }],
            current: SimTime::ZERO,
            next_seq: 0,
        }
    }
}

/// Where the next event waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Front {
    Heap,
    Lane(usize),
}

impl<E> Agenda<E> {
    fn sequence(&mut self) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        seq
    }

    /// Schedules `event` at `at`; a time before the current one is treated as now.
    pub fn schedule(&mut self, at: SimTime, event: E) {
        let seq = self.sequence();
        if at <= self.current {
            self.lanes[0].line.push_back(Entry {
                at: self.current,
                seq,
                event,
            });
        } else {
            self.heap.push(Entry { at, seq, event });
        }
    }

    /// Schedules `event` at `at`, which is `delay_us` after the caller's current time, for a
    /// delay many events share (a call timeout). It is popped in exactly the order `schedule`
    /// would give it; only where it waits differs.
    pub fn schedule_after(&mut self, at: SimTime, delay_us: u64, event: E) {
        if delay_us == 0 || at <= self.current {
            return self.schedule(at, event);
        }
        let seq = self.sequence();
        let entry = Entry { at, seq, event };
        let found = self.lanes.iter().position(|l| l.delay_us == delay_us);
        let lane = match found {
            Some(i) => Some(i),
            None if self.lanes.len() < MAX_LANES => {
                self.lanes.push(Lane {
                    delay_us,
                    line: VecDeque::new(),
                });
                Some(self.lanes.len() - 1)
            }
            None => None,
        };
        match lane {
            // A lane stays in time order: an entry that would not (a caller whose clock went
            // back) waits in the heap instead.
            Some(i)
                if self.lanes[i]
                    .line
                    .back()
                    .is_none_or(|b| b.key() <= entry.key()) =>
            {
                self.lanes[i].line.push_back(entry);
            }
            _ => self.heap.push(entry),
        }
    }

    /// When the earliest event is due, and where it waits.
    fn front(&self) -> Option<(SimTime, Front)> {
        let mut best = self.heap.peek().map(|e| (e.key(), Front::Heap));
        for (i, lane) in self.lanes.iter().enumerate() {
            if let Some(e) = lane.line.front() {
                if best.is_none_or(|(k, _)| e.key() < k) {
                    best = Some((e.key(), Front::Lane(i)));
                }
            }
        }
        best.map(|((at, _), f)| (at, f))
    }

    /// The time of the next event, if any.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.front().map(|(at, _)| at)
    }

    /// Removes and returns the next event.
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        self.pop_until(SimTime(u64::MAX))
    }

    /// Removes and returns the next event if it is due by `deadline` (one look at the fronts,
    /// where `peek_time` then `pop` would take two).
    pub fn pop_until(&mut self, deadline: SimTime) -> Option<(SimTime, E)> {
        let (at, front) = self.front()?;
        if at > deadline {
            return None;
        }
        let entry = match front {
            Front::Heap => self.heap.pop(),
            Front::Lane(i) => self.lanes[i].line.pop_front(),
        }?;
        self.current = entry.at;
        Some((entry.at, entry.event))
    }

    /// How many events are waiting.
    pub fn len(&self) -> usize {
        self.heap.len() + self.lanes.iter().map(|l| l.line.len()).sum::<usize>()
    }

    /// True when nothing is scheduled.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_first_and_ties_fifo() {
        let mut a = Agenda::default();
        a.schedule(SimTime(5), "late");
        a.schedule(SimTime(1), "first");
        a.schedule(SimTime(3), "tie-1");
        a.schedule(SimTime(3), "tie-2");
        a.schedule(SimTime(3), "tie-3");
        let order: Vec<&str> = std::iter::from_fn(|| a.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, ["first", "tie-1", "tie-2", "tie-3", "late"]);
    }

    #[test]
    fn events_for_now_keep_fifo_order_with_the_heap() {
        let mut a = Agenda::default();
        a.schedule(SimTime(3), "heap-1");
        a.schedule(SimTime(3), "heap-2");
        assert_eq!(a.pop(), Some((SimTime(3), "heap-1")));
        // Scheduled "now" after heap-2 was scheduled: must come after it.
        a.schedule(SimTime(3), "now-1");
        a.schedule(SimTime(1), "past-is-now");
        a.schedule(SimTime(4), "later");
        let order: Vec<(SimTime, &str)> = std::iter::from_fn(|| a.pop()).collect();
        assert_eq!(
            order,
            [
                (SimTime(3), "heap-2"),
                (SimTime(3), "now-1"),
                (SimTime(3), "past-is-now"),
                (SimTime(4), "later")
            ]
        );
    }

    /// Lanes change where events wait, never their order: a long random mix of fixed delays
    /// (more than there are lanes), other delays, "now" and pops gives exactly the order of one
    /// sorted list of (time, sequence).
    #[test]
    fn lanes_pop_in_the_order_of_a_single_sorted_list() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let mut agenda = Agenda::default();
        let mut model: Vec<(SimTime, u64, u64)> = Vec::new();
        let (mut now, mut seq, mut popped) = (SimTime::ZERO, 0u64, 0usize);
        for id in 0..40_000u64 {
            if next(3) == 0 {
                let got = agenda.pop();
                let at = model
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, e)| (e.0, e.1))
                    .map(|(i, _)| i);
                let want = at.map(|i| model.remove(i)).map(|(t, _, id)| (t, id));
                assert_eq!(got, want, "pop {popped}");
                if let Some((t, _)) = got {
                    now = t;
                }
                popped += 1;
                continue;
            }
            let (at, fixed) = match next(4) {
                0 => (now, None),
                1 => (now.plus_us(1 + next(5_000)), None),
                _ => {
                    let delay = [250, 1_000, 30_000, 7, 11, 13, 17, 19, 23, 29][next(10) as usize];
                    (now.plus_us(delay), Some(delay))
                }
            };
            match fixed {
                Some(delay) => agenda.schedule_after(at, delay, id),
                None => agenda.schedule(at, id),
            }
            model.push((at.max(now), seq, id));
            seq += 1;
        }
        assert_eq!(agenda.len(), model.len());
        model.sort();
        let rest: Vec<(SimTime, u64)> = std::iter::from_fn(|| agenda.pop()).collect();
        let want: Vec<(SimTime, u64)> = model.iter().map(|&(t, _, id)| (t, id)).collect();
        assert_eq!(rest, want);
        assert!(agenda.is_empty());
        assert!(popped > 10_000);
    }
}
