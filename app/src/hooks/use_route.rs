//! Which screen is open. It lives in the URL fragment, so every screen can be linked to and a
//! static host needs no routes of its own.

use crate::io;
use crate::route::Route;
use yew::prelude::*;

/// The open screen and the way to open another.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteHandle {
    /// The open screen.
    pub route: Route,
    /// Opens a screen: the fragment says so, and the screen mounts afresh.
    pub navigate: Callback<Route>,
}

/// The screen the fragment names; follows the fragment when it changes (a pasted link, Back).
#[hook]
pub fn use_route() -> RouteHandle {
    let route = use_state_eq(|| Route::from_fragment(&io::fragment()));
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let listener = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
                route.set(Route::from_fragment(&io::fragment()));
            });
            io::on_window("hashchange", listener)
        });
    }
    let navigate = {
        let route = route.clone();
        Callback::from(move |target: Route| {
            io::set_fragment(&target.fragment());
            route.set(target);
        })
    };
    RouteHandle {
        route: *route,
        navigate,
    }
}
