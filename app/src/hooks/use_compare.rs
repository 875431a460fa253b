//! Same-seed A/B: pin the document as A, change something, and overlay both runs' charts.

use super::SessionHandle;
use crate::chart::{DARK, LIGHT};
use crate::components::charts::prefers_dark;
use crate::views::{self, ChartsView};
use engine::Scenario;
use std::rc::Rc;
use yew::prelude::*;

/// The pinned variant, the overlay when there is one, and the buttons' callbacks.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareHandle {
    /// The document pinned as A.
    pub pinned: Option<Rc<Scenario>>,
    /// Both runs overlaid, once compared.
    pub view: Option<Rc<ChartsView>>,
    /// Pin the document as it is now.
    pub pin: Callback<()>,
    /// Run A and the document (B) on B's seed and overlay them.
    pub compare: Callback<()>,
    /// Forget A and the overlay.
    pub clear: Callback<()>,
}

/// The A/B comparison of a session.
#[hook]
pub fn use_compare(session: &SessionHandle) -> CompareHandle {
    let pinned = use_state(|| None::<Rc<Scenario>>);
    let view = use_state(|| None::<Rc<ChartsView>>);
    let pin = {
        let (pinned, view, cell) = (pinned.clone(), view.clone(), session.cell());
        Callback::from(move |()| {
            pinned.set(Some(Rc::new(cell.borrow().editor.scenario.clone())));
            view.set(None);
        })
    };
    let compare = {
        let (pinned, view, cell) = (pinned.clone(), view.clone(), session.cell());
        Callback::from(move |()| {
            let Some(a) = pinned.as_deref() else { return };
            let session = cell.borrow();
            let b = &session.editor.scenario;
            let clock_s = session.sim().map_or(0.0, |s| s.now().as_secs());
            let palette = if prefers_dark() { DARK } else { LIGHT };
            let mut a = a.clone();
            a.seed = b.seed;
            // Long enough for faults early in a run to show, short enough to stay instant.
            let until = clock_s.clamp(30.0, 120.0);
            if let (Some(va), Some(vb)) = (
                views::run_charts(&a, until, palette),
                views::run_charts(b, until, palette),
            ) {
                view.set(Some(Rc::new(views::overlay(&va, &vb, palette))));
            }
        })
    };
    let clear = {
        let (pinned, view) = (pinned.clone(), view.clone());
        Callback::from(move |()| {
            pinned.set(None);
            view.set(None);
        })
    };
    CompareHandle {
        pinned: (*pinned).clone(),
        view: (*view).clone(),
        pin,
        compare,
        clear,
    }
}
