//! A generational slab: in-flight requests, jobs and calls live here and are named by `Key`s
//! that go stale when their slot is reused, so a late event (a reply after a timeout) can see
//! that what it refers to is gone instead of touching its successor.

/// Index plus generation of a slab entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    index: u32,
    generation: u32,
}

#[derive(Debug, Clone)]
struct Slot<T> {
    generation: u32,
    value: Option<T>,
}

/// Storage for values that come and go, reusing freed slots.
#[derive(Debug, Clone)]
pub struct Slab<T> {
    slots: Vec<Slot<T>>,
    free: Vec<u32>,
    live: usize,
}

impl<T> Default for Slab<T> {
    fn default() -> Self {
        Slab {
            slots: Vec::new(),
            free: Vec::new(),
            live: 0,
        }
    }
}

impl<T> Slab<T> {
    /// Stores a value and returns its key.
    pub fn insert(&mut self, value: T) -> Key {
        self.live += 1;
        if let Some(index) = self.free.pop() {
            let slot = &mut self.slots[index as usize];
            slot.generation = slot.generation.wrapping_add(1);
            slot.value = Some(value);
            Key {
                index,
                generation: slot.generation,
            }
        } else {
            let index = self.slots.len() as u32;
            self.slots.push(Slot {
                generation: 0,
                value: Some(value),
            });
            Key {
                index,
                generation: 0,
            }
        }
    }

    /// The value under a key that is still live.
    pub fn get(&self, key: Key) -> Option<&T> {
        self.slots
            .get(key.index as usize)
            .filter(|s| s.generation == key.generation)
            .and_then(|s| s.value.as_ref())
    }

    /// The value under a key that is still live, mutably.
    pub fn get_mut(&mut self, key: Key) -> Option<&mut T> {
        self.slots
            .get_mut(key.index as usize)
            .filter(|s| s.generation == key.generation)
            .and_then(|s| s.value.as_mut())
    }

    /// Takes the value out, freeing its slot.
    pub fn remove(&mut self, key: Key) -> Option<T> {
        self.vacate(key)?.take()
    }

    /// Frees a live key's slot without handing its value back (no copy of a large value);
    /// false if the key was not live.
    pub fn discard(&mut self, key: Key) -> bool {
        self.vacate(key).map(|value| *value = None).is_some()
    }

    /// Frees a live key's slot and lends its value, for the caller to take or drop; `None`
    /// (and nothing freed) if the key is stale or already freed.
    fn vacate(&mut self, key: Key) -> Option<&mut Option<T>> {
        let slot = self
            .slots
            .get_mut(key.index as usize)
            .filter(|s| s.generation == key.generation && s.value.is_some())?;
        self.free.push(key.index);
        self.live -= 1;
        Some(&mut slot.value)
    }

    /// How many values are stored.
    pub fn len(&self) -> usize {
        self.live
    }

    /// True when nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_keys_see_nothing() {
        let mut s = Slab::default();
        let a = s.insert("a");
        assert_eq!(s.remove(a), Some("a"));
        let b = s.insert("b");
        assert_eq!(s.get(a), None);
        assert_eq!(s.remove(a), None);
        assert_eq!(s.get(b), Some(&"b"));
        assert_eq!(s.len(), 1);
    }

    #[test]
    fn discard_frees_once_and_only_live_keys() {
        let mut s = Slab::default();
        let a = s.insert(1);
        let b = s.insert(2);
        assert!(s.discard(a));
        assert!(!s.discard(a), "a key is freed once");
        assert_eq!((s.get(a), s.len()), (None, 1));
        let c = s.insert(3);
        assert!(
            !s.discard(a),
            "a stale key does not free the slot's new value"
        );
        assert_eq!((s.get(c), s.get(b)), (Some(&3), Some(&2)));
        assert_eq!(s.len(), 2);
    }
}
