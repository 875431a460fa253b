//! The root components: routers over screens. The route lives in the URL fragment
//! ([`crate::route::Route`]); each screen owns its hooks and mounts afresh when opened, so a
//! screen's run, selection and undo history never leak into another's.
//!
//! The app's screens are in three wasm files, one a [`Module`] (the dialogs are a fourth,
//! [`crate::dialogs`]), so a visitor downloads only the screens they open: [`HomeApp`] (the lesson list), [`App`] (lessons, sandbox, embed) and [`WorkshopApp`]
//! (challenge, facilitator, compare, notes, live rooms). `static/modules.js` picks the file for the page's
//! fragment; a root asked for a screen another module owns loads the page again, which then
//! starts that module ([`Elsewhere`]).

use crate::hooks::{use_projector, use_route, Projector, RouteHandle};
use crate::parts::Late;
use crate::route::Route;
use crate::screens::{HomeScreen, LessonScreen, SandboxScreen};
use yew::prelude::*;

pub use crate::components::topbar::PRODUCT_NAME;

/// The lessons, the sandbox and the embed's view (and the home screen, for a fragment that names
/// nothing): what `index.html` starts for a lesson link and `play.html` for an embed.
#[function_component(App)]
pub fn app() -> Html {
    let RouteHandle { route, navigate } = use_route();
    let projector = use_projector();
    let screen = match route {
        Route::Home => html! { <HomeScreen {navigate} /> },
        Route::Sandbox => html! { <SandboxScreen key="sandbox" {navigate} /> },
        Route::Lesson(slug) => html! { <LessonScreen key={slug} {slug} {navigate} /> },
        Route::Embed => html! { <LazyEmbed /> },
        Route::Harder(slug) => {
            html! { <LessonScreen key={format!("{slug}/harder")} {slug} harder=true {navigate} /> }
        }
        other => html! { <Elsewhere route={other} /> },
    };
    html! {
        <ContextProvider<Projector> context={projector}>{ screen }</ContextProvider<Projector>>
    }
}

/// The home screen alone: what a first visit downloads.
#[function_component(HomeApp)]
pub fn home_app() -> Html {
    let RouteHandle { route, navigate } = use_route();
    match route {
        Route::Home => html! { <HomeScreen {navigate} /> },
        other => html! { <Elsewhere route={other} /> },
    }
}

/// The workshop's screens: a challenge, the facilitator's window, the compare page, the notes.
#[function_component(WorkshopApp)]
pub fn workshop_app() -> Html {
    let RouteHandle { route, navigate } = use_route();
    let projector = use_projector();
    let screen = match route {
        Route::Challenge => crate::screens::challenge_screen(navigate),
        Route::Facilitator => html! { <crate::screens::FacilitatorScreen /> },
        Route::Compare => html! { <crate::screens::CompareScreen /> },
        Route::Notes(slug) => html! { <crate::screens::NotesScreen {slug} /> },
        Route::Room => html! { <crate::screens::RoomScreen {navigate} /> },
        Route::Host => html! { <crate::screens::HostScreen {navigate} /> },
        Route::Home => html! { <HomeScreen {navigate} /> },
        other => html! { <Elsewhere route={other} /> },
    };
    html! {
        <ContextProvider<Projector> context={projector}>{ screen }</ContextProvider<Projector>>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct ElsewhereProps {
    route: Route,
}

/// A screen this module does not hold: the fragment already names it, so loading the page again
/// starts the module that does. Should `static/modules.js` and [`Route::module`] ever disagree,
/// the page would load itself forever; the session remembers the one reload and says so instead.
#[function_component(Elsewhere)]
fn elsewhere(props: &ElsewhereProps) -> Html {
    let fragment = props.route.fragment();
    let looping = use_state(|| false);
    {
        let looping = looping.clone();
        use_effect_with(fragment.clone(), move |fragment| {
            if crate::io::reload_once(fragment) {
                looping.set(true);
            }
        });
    }
    if *looping {
        let module = format!("{:?}", props.route.module()).to_lowercase();
        html! {
            <main class="elsewhere" role="alert">
                <p>{ format!("This page's {module} screens did not load. Reload the page; if it happens again, the site's files are out of step with each other.") }</p>
            </main>
        }
    } else {
        html! { <main aria-busy="true" /> }
    }
}

/// The embed's screen, a part of the main file ([`crate::parts`]): a lesson or the sandbox never
/// fetches it.
#[function_component(LazyEmbed)]
fn lazy_embed() -> Html {
    match crate::parts::provided().embed {
        Some(part) => html! {
            <Late<()> props={()} {part} what="the embedded playground"
                waiting={html! { <main aria-busy="true" /> }}
                failed={html! {
                    <main class="elsewhere" role="alert">
                        <p>{ "The playground did not load. Check the connection, then reload the page." }</p>
                    </main>
                }} />
        },
        None => html! {
            <main class="elsewhere" role="alert">
                <p>{ "This page's file has no embedded playground: the site's files are out of step with each other." }</p>
            </main>
        },
    }
}

/// Draws the embed's screen: the embed's part.
pub fn draw_embed((): &()) -> Html {
    html! { <crate::screens::EmbedScreen /> }
}
