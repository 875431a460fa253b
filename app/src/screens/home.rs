//! The home screen: the lesson list and the way into the sandbox.

use super::ScreenProps;
use crate::components::home::Home;
use crate::components::topbar::TopBar;
use crate::io;
use crate::route::Route;
use yew::prelude::*;

/// The home screen. Progress is read when it opens, so a lesson just finished shows as done.
#[function_component(HomeScreen)]
pub fn home_screen(props: &ScreenProps) -> Html {
    let completed = use_state(io::completed);
    let navigate = props.navigate.clone();
    let on_open = use_callback(navigate.clone(), |slug: Option<&'static str>, navigate| {
        navigate.emit(slug.map_or(Route::Sandbox, Route::Lesson))
    });
    let on_home = use_callback(navigate, |(), navigate| navigate.emit(Route::Home));
    // A link to a lesson that does not exist lands here, with a sentence saying so.
    let missing = io::fragment()
        .strip_prefix("lesson=")
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    html! {
        <div class="shell">
            <TopBar {on_home} />
            <Home completed={(*completed).clone()} {on_open} {missing} />
        </div>
    }
}
