//! The root component: a router over screens. The route lives in the URL fragment
//! ([`crate::route::Route`]); each screen owns its hooks and mounts afresh when opened, so a
//! screen's run, selection and undo history never leak into another's.

use crate::hooks::{use_projector, use_route, Projector, RouteHandle};
use crate::route::Route;
use crate::screens::{
    ChallengeScreen, CompareScreen, EmbedScreen, FacilitatorScreen, HomeScreen, LessonScreen,
    NotesScreen, SandboxScreen,
};
use yew::prelude::*;

pub use crate::components::topbar::PRODUCT_NAME;

/// The whole app.
#[function_component(App)]
pub fn app() -> Html {
    let RouteHandle { route, navigate } = use_route();
    let projector = use_projector();
    let screen = match route {
        Route::Home => html! { <HomeScreen {navigate} /> },
        Route::Sandbox => html! { <SandboxScreen key="sandbox" {navigate} /> },
        Route::Lesson(slug) => html! { <LessonScreen key={slug} {slug} {navigate} /> },
        Route::Embed => html! { <EmbedScreen /> },
        Route::Challenge => html! { <ChallengeScreen {navigate} /> },
        Route::Facilitator => html! { <FacilitatorScreen /> },
        Route::Compare => html! { <CompareScreen /> },
        Route::Notes(slug) => html! { <NotesScreen {slug} /> },
        Route::Harder(slug) => {
            html! { <LessonScreen key={format!("{slug}/harder")} {slug} harder=true {navigate} /> }
        }
    };
    html! {
        <ContextProvider<Projector> context={projector}>{ screen }</ContextProvider<Projector>>
    }
}
