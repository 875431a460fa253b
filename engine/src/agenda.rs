//! Future events, ordered by time and then by the order they were scheduled.
//!
//! Ties at the same microsecond are first-in-first-out, which makes every run reproducible
//! whatever the heap's internal layout.
//!
//! About half of all events happen "now" (a call delivered, an answer returned, with no delay
//! in between). Those skip the heap and wait in a plain FIFO line; `pop` takes whichever of the
//! two fronts has the smaller (time, sequence), so the order is exactly the heap-only order.

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

/// A min-heap of future events keyed by (time, sequence), plus a FIFO line for events at the
/// current time.
#[derive(Debug, Clone)]
pub struct Agenda<E> {
    heap: BinaryHeap<Entry<E>>,
    now_line: VecDeque<Entry<E>>,
    /// Time of the last event popped: nothing may be scheduled before it.
    current: SimTime,
    next_seq: u64,
}

impl<E> Default for Agenda<E> {
    fn default() -> Self {
        Agenda {
            heap: BinaryHeap::new(),
            now_line: VecDeque::new(),
            current: SimTime::ZERO,
            next_seq: 0,
        }
    }
}

impl<E> Agenda<E> {
    /// Schedules `event` at `at`; a time before the current one is treated as now.
    pub fn schedule(&mut self, at: SimTime, event: E) {
        let seq = self.next_seq;
        self.next_seq += 1;
        if at <= self.current {
            self.now_line.push_back(Entry {
                at: self.current,
                seq,
                event,
            });
        } else {
            self.heap.push(Entry { at, seq, event });
        }
    }

    /// Whether the next event comes from the heap rather than the line of current events.
    fn heap_first(&self) -> bool {
        match (self.heap.peek(), self.now_line.front()) {
            (Some(h), Some(n)) => (h.at, h.seq) < (n.at, n.seq),
            (Some(_), None) => true,
            _ => false,
        }
    }

    /// The time of the next event, if any.
    pub fn peek_time(&self) -> Option<SimTime> {
        if self.heap_first() {
            self.heap.peek().map(|e| e.at)
        } else {
            self.now_line.front().map(|e| e.at)
        }
    }

    /// Removes and returns the next event.
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        let entry = if self.heap_first() {
            self.heap.pop()
        } else {
            self.now_line.pop_front()
        }?;
        self.current = entry.at;
        Some((entry.at, entry.event))
    }

    /// How many events are waiting.
    pub fn len(&self) -> usize {
        self.heap.len() + self.now_line.len()
    }

    /// True when nothing is scheduled.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty() && self.now_line.is_empty()
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
}
