//! The identity of a published procedure, for what is made once per procedure (its
//! view, its rendered components, its open data) and looked up by every unit that
//! publishes it.

use crate::model::Procedure;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// A published procedure by identity: the one `Procedure` that every unit publishing it
/// shares (resolve gives an adopted catalogue entry to all adopters as one `Arc`), told
/// apart from another by address, not by contents (a unit's override of a catalogue
/// entry has the same code and is another procedure). The key holds the `Arc`, so the
/// procedure lives as long as the key: no other procedure can take its address.
#[derive(Clone)]
pub struct ProcKey(Arc<Procedure>);

impl ProcKey {
    pub fn of(p: &Arc<Procedure>) -> ProcKey {
        ProcKey(Arc::clone(p))
    }

    pub fn procedure(&self) -> &Arc<Procedure> {
        &self.0
    }
}

impl PartialEq for ProcKey {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for ProcKey {}

impl Hash for ProcKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::ptr::hash(Arc::as_ptr(&self.0), state);
    }
}

/// A look-up key for maps keyed by [`ProcKey`] that borrows the procedure instead of
/// holding it: looking a procedure up does not touch its `Arc`'s count (which every
/// thread rendering a catalogue procedure would otherwise update in turn).
pub struct ProcRef<'a>(pub &'a Procedure);

impl Hash for ProcRef<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::ptr::hash(self.0 as *const Procedure, state);
    }
}

impl hashbrown::Equivalent<ProcKey> for ProcRef<'_> {
    fn equivalent(&self, key: &ProcKey) -> bool {
        std::ptr::eq(self.0, Arc::as_ptr(&key.0))
    }
}

/// What is kept for each distinct procedure.
pub type ProcMap<V> = hashbrown::HashMap<ProcKey, V>;

#[cfg(test)]
mod tests {
    use super::*;

    /// Two procedures with the same contents are two keys; the same `Arc` is one, looked
    /// up by reference as by key.
    #[test]
    fn procedures_are_told_apart_by_identity() {
        let (site, _) = crate::render::example_site();
        let p = Arc::clone(&site.units[0].procedures[0].procedure);
        let twin = Arc::new((*p).clone());
        let mut m: ProcMap<u8> = ProcMap::default();
        m.insert(ProcKey::of(&p), 1);
        m.insert(ProcKey::of(&twin), 2);
        m.insert(ProcKey::of(&p), 3);
        assert_eq!(m.len(), 2);
        assert_eq!(m.get(&ProcRef(&p)), Some(&3));
        assert_eq!(m.get(&ProcRef(&twin)), Some(&2));
        assert_eq!(m.get(&ProcKey::of(&twin)), Some(&2));
        assert!(m.get(&ProcRef(&Procedure::clone(&p))).is_none());
    }
}
