//! The screens of the app, named by the URL fragment.

use crate::share;

/// Which screen is open; it lives in the URL fragment so any screen can be linked to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// The lesson list.
    Home,
    /// The free canvas (also where share links open).
    Sandbox,
    /// A lesson, by slug.
    Lesson(&'static str),
    /// A lesson's harder variant, by the lesson's slug.
    Harder(&'static str),
    /// The embed view for blog posts (`#embed?...`; its options are read by the screen).
    Embed,
    /// A workshop challenge (`#challenge=...`; the screen reads the link).
    Challenge,
    /// The facilitator window, paired with the projected tab (`#facilitator`).
    Facilitator,
    /// The page that re-runs and ranks the room's answers (`#compare`).
    Compare,
    /// A lesson's facilitator notes as a printable handout (`#notes=<slug>`).
    Notes(&'static str),
    /// A participant's seat in a live room (`#room=CODE`; the screen reads the code).
    Room,
    /// The facilitator's live room: open one (`#host`), or the room (`#host=CODE`).
    Host,
}

/// The wasm file that holds a screen (`crate::shell`): `static/modules.js` picks the same one
/// for a fragment before any wasm is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Module {
    /// `home.js`: the lesson list, all a first visit needs.
    Home,
    /// The app's main file, `play-<hash>/app.js`: lessons, the sandbox, the embed's view.
    Play,
    /// `workshop-<hash>/workshop.js`: challenge, facilitator, compare, notes, live rooms.
    Workshop,
}

impl Route {
    /// The module that holds this screen when the page starts on it. The home screen is in every
    /// module (a fragment naming nothing, or a lesson that does not exist, lands there), but a
    /// page opened on it starts the smallest.
    pub fn module(self) -> Module {
        match self {
            Route::Home => Module::Home,
            Route::Sandbox | Route::Lesson(_) | Route::Harder(_) | Route::Embed => Module::Play,
            Route::Challenge
            | Route::Facilitator
            | Route::Compare
            | Route::Notes(_)
            | Route::Room
            | Route::Host => Module::Workshop,
        }
    }

    /// The screen a fragment names; an unknown fragment is the home screen.
    pub fn from_fragment(fragment: &str) -> Route {
        let known = |slug: &str| crate::lessons::slugs().find(|s| *s == slug);
        if let Some(slug) = fragment.strip_prefix("lesson=").and_then(known) {
            return Route::Lesson(slug);
        }
        if let Some(slug) = fragment.strip_prefix("harder=").and_then(known) {
            return Route::Harder(slug);
        }
        if let Some(slug) = fragment.strip_prefix("notes=").and_then(known) {
            return Route::Notes(slug);
        }
        if crate::embed::is_embed(fragment) {
            return Route::Embed;
        }
        if fragment.starts_with(crate::challenge::CHALLENGE_KEY) {
            return Route::Challenge;
        }
        if fragment == "facilitator" {
            return Route::Facilitator;
        }
        if fragment == "compare" {
            return Route::Compare;
        }
        if fragment.starts_with(crate::room::ROOM_KEY) {
            return Route::Room;
        }
        if fragment == crate::room::HOST_KEY || fragment.starts_with("host=") {
            return Route::Host;
        }
        if fragment == "sandbox"
            || fragment.starts_with(share::FRAGMENT_KEY)
            || fragment.starts_with(crate::challenge::ANSWER_KEY)
        {
            Route::Sandbox
        } else {
            Route::Home
        }
    }

    /// The fragment that names this screen.
    pub fn fragment(self) -> String {
        match self {
            Route::Home => String::new(),
            Route::Sandbox => "sandbox".into(),
            Route::Lesson(slug) => format!("lesson={slug}"),
            Route::Harder(slug) => format!("harder={slug}"),
            Route::Embed => "embed".into(),
            Route::Challenge => crate::challenge::CHALLENGE_KEY.into(),
            Route::Facilitator => "facilitator".into(),
            Route::Compare => "compare".into(),
            Route::Notes(slug) => format!("notes={slug}"),
            Route::Room => crate::room::ROOM_KEY.into(),
            Route::Host => crate::room::HOST_KEY.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_screen_round_trips_through_its_fragment() {
        let mut routes = vec![Route::Home, Route::Sandbox, Route::Embed];
        routes.extend(crate::lessons::slugs().map(Route::Lesson));
        routes.extend(crate::lessons::slugs().map(Route::Harder));
        for route in routes {
            assert_eq!(Route::from_fragment(&route.fragment()), route);
        }
        assert_eq!(Route::from_fragment("lesson=no-such"), Route::Home);
        assert_eq!(Route::from_fragment("s=abc"), Route::Sandbox, "share links");
        assert_eq!(Route::from_fragment("<script>"), Route::Home);
        assert_eq!(
            Route::from_fragment("embed?lesson=01-paid-twice"),
            Route::Embed
        );
        assert_eq!(Route::from_fragment("embedded"), Route::Home);
        assert_eq!(Route::from_fragment("challenge=abc"), Route::Challenge);
        assert_eq!(Route::from_fragment("facilitator"), Route::Facilitator);
        assert_eq!(Route::from_fragment("compare"), Route::Compare);
        assert_eq!(
            Route::from_fragment("answer=abc"),
            Route::Sandbox,
            "answers open as designs"
        );
        assert_eq!(
            Route::from_fragment("notes=01-paid-twice"),
            Route::Notes("01-paid-twice")
        );
        assert_eq!(Route::from_fragment("notes=nope"), Route::Home);
        assert_eq!(Route::from_fragment("room=K2M9PQ"), Route::Room);
        assert_eq!(Route::from_fragment("host"), Route::Host);
        assert_eq!(Route::from_fragment("host=K2M9PQ"), Route::Host);
        assert_eq!(Route::from_fragment("hostile"), Route::Home);
    }

    /// The file `static/modules.js` starts for a fragment must hold the screen Rust opens for
    /// it, or the page would load itself again and again (`crate::shell::Elsewhere` stops that).
    #[test]
    fn the_module_started_for_a_fragment_holds_its_screen() {
        let table: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/data/modules.json")).unwrap_or_default();
        let fragments = table["fragments"].as_object().cloned().unwrap_or_default();
        assert!(fragments.len() >= 10, "the table is read");
        for (fragment, started) in &fragments {
            let route = Route::from_fragment(fragment);
            let holds = match started.as_str() {
                Some("home") => route == Route::Home,
                Some("play") => route == Route::Home || route.module() == Module::Play,
                Some("workshop") => route == Route::Home || route.module() == Module::Workshop,
                other => panic!("{fragment:?}: unknown module {other:?}"),
            };
            assert!(holds, "{fragment:?} starts {started} but opens {route:?}");
        }
        // Every screen is reached, and a page opened on one starts the module of Route::module.
        let mut routes = vec![Route::Home, Route::Sandbox, Route::Embed, Route::Compare];
        routes.extend([
            Route::Facilitator,
            Route::Challenge,
            Route::Room,
            Route::Host,
        ]);
        routes.extend(
            crate::lessons::slugs()
                .flat_map(|s| [Route::Lesson(s), Route::Harder(s), Route::Notes(s)]),
        );
        for route in routes {
            let name = match route.module() {
                Module::Home => "home",
                Module::Play => "play",
                Module::Workshop => "workshop",
            };
            let fragment = route.fragment();
            let listed = fragments
                .iter()
                .any(|(f, m)| m == name && Route::from_fragment(f).module() == route.module());
            assert!(
                listed,
                "no fragment in the table starts {name} for {fragment:?}"
            );
        }
    }
}
