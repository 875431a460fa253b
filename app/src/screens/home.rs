//! The home screen: the lesson list and the way into the sandbox.

use super::ScreenProps;
use crate::components::home::{home, HomeProps};
use crate::components::topbar::top_bar;
use crate::io;
use crate::route::Route;
use yew::prelude::*;

/// The home screen. Progress is read when it opens, so a lesson just finished shows as done.
#[function_component(HomeScreen)]
pub fn home_screen(props: &ScreenProps) -> Html {
    let completed = use_state(io::completed);
    let navigate = props.navigate.clone();
    let on_open = {
        let navigate = navigate.clone();
        Callback::from(move |slug: Option<&'static str>| {
            navigate.emit(slug.map_or(Route::Sandbox, Route::Lesson))
        })
    };
    let on_home = Callback::from(move |()| navigate.emit(Route::Home));
    // A link to a lesson that does not exist lands here, with a sentence saying so.
    let missing = io::fragment()
        .strip_prefix("lesson=")
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    html! {
        <div class="shell">
            { top_bar(None, on_home) }
            { home(&HomeProps { completed: (*completed).clone(), on_open, missing }) }
        </div>
    }
}
