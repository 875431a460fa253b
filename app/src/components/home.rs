//! The home screen: the eight lessons (title, hook, what each teaches, minutes, progress) and
//! the sandbox.

use crate::lessons;
use yew::prelude::*;

/// What [`home`] shows.
#[derive(PartialEq, Debug)]
pub struct HomeProps {
    /// Slugs of finished lessons.
    pub completed: Vec<String>,
    /// Open a lesson (by slug) or, with None, the sandbox.
    pub on_open: Callback<Option<&'static str>>,
    /// A lesson the address asked for that does not exist.
    pub missing: Option<String>,
}

/// The lesson list: a function rather than a component, since the home screen holds its state
/// (each component is compiled code of its own in the bundle).
pub fn home(props: &HomeProps) -> Html {
    let cards = lessons::metas().into_iter().enumerate().map(|(i, (slug, meta))| {
        let done = props.completed.iter().any(|c| c == slug);
        let on_open = props.on_open.clone();
        html! {
            <li class={classes!("lesson-card", done.then_some("done"))}>
                <a href={format!("#lesson={slug}")} onclick={Callback::from(move |e: MouseEvent| { e.prevent_default(); on_open.emit(Some(slug)); })}>
                    <span class="lesson-number">{ format!("{}", i + 1) }</span>
                    <h3>{ meta.title.clone() }</h3>
                    <p>{ meta.hook.clone() }</p>
                    <span class="chips">{ for meta.teaches.iter().map(|t| html! { <span class="chip">{ t.clone() }</span> }) }</span>
                    <span class="minutes">{ format!("about {} min", meta.minutes) }{ if done { " · done ✓" } else { "" } }</span>
                </a>
            </li>
        }
    });
    let on_open = props.on_open.clone();
    html! {
        <main class="home">
            if let Some(slug) = &props.missing {
                <p class="notice error" role="alert">{ format!("There is no lesson called \"{slug}\" (was the link cut short?). These are the lessons there are.") }</p>
            }
            <section class="intro">
                <h2>{ "Eight ways backends fail, and how to stop them" }</h2>
                <p>{ "Each lesson starts with a system that is already in trouble. Press play, watch the charts, find the switch that fixes it, and see every goal turn green. The numbers come from a simulation running in this page; nothing is sent anywhere." }</p>
            </section>
            <ol class="lesson-grid">
                { for cards }
                <li class="lesson-card sandbox">
                    <a href="#sandbox" onclick={Callback::from(move |e: MouseEvent| { e.prevent_default(); on_open.emit(None); })}>
                        <span class="lesson-number">{ "∞" }</span>
                        <h3>{ "Sandbox" }</h3>
                        <p>{ "An open canvas with every component: build anything, break it, share it." }</p>
                        <span class="minutes">{ "as long as you like" }</span>
                    </a>
                </li>
            </ol>
        </main>
    }
}
