//! The editing session of a screen: the document and its simulation, in a `use_mut_ref` (the
//! engine never lives in a reducer), changed only through one stable `edit` callback.

use crate::session::Session;
use crate::state::{Action, Editor};
use std::cell::{Ref, RefCell};
use std::rc::Rc;
use yew::prelude::*;

/// A screen's session and the one callback that edits it.
#[derive(Clone)]
pub struct SessionHandle {
    cell: Rc<RefCell<Session>>,
    /// Every edit goes here: the document changes and the simulation follows
    /// ([`Session::edit`]). The same callback for the screen's whole life, so components that
    /// hold text inputs are not re-rendered by it.
    pub edit: Callback<Action>,
    /// The session's version when this handle was made: two handles draw the same when equal.
    seen: u64,
}

impl SessionHandle {
    /// The session, to read.
    pub fn borrow(&self) -> Ref<'_, Session> {
        self.cell.borrow()
    }

    /// The shared cell, for callbacks and loops that must see the session as it is when they
    /// run, not as it was when they were made.
    pub fn cell(&self) -> Rc<RefCell<Session>> {
        self.cell.clone()
    }
}

impl PartialEq for SessionHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.cell, &other.cell) && self.seen == other.seen
    }
}

impl std::fmt::Debug for SessionHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionHandle")
            .field("version", &self.seen)
            .finish_non_exhaustive()
    }
}

/// A session started from `init()` when the screen mounts; an edit re-renders the screen.
/// (`init` is boxed so the hook is compiled once, not once per screen: it is the bundle's size.)
#[hook]
pub fn use_session(init: Box<dyn FnOnce() -> Editor>) -> SessionHandle {
    let cell = use_mut_ref(move || Session::new(init()));
    let update = use_force_update();
    let edit = {
        let cell = cell.clone();
        (*use_memo((), move |_| {
            Callback::from(move |action: Action| {
                cell.borrow_mut().edit(action);
                update.force_update();
            })
        }))
        .clone()
    };
    let seen = cell.borrow().version();
    SessionHandle { cell, edit, seen }
}
