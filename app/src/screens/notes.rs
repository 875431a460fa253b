//! A lesson's facilitator notes as a handout (`#notes=<slug>`): the notes from the lesson's
//! `facilitator.md`, and the lesson's challenge link written out in full, for the room and with
//! the solution released. Printed, it is one page (the print stylesheet in `static/app.css`).

use crate::challenge::Challenge;
use crate::components::topbar::PRODUCT_NAME;
use crate::{io, lessons, markdown};
use yew::prelude::*;

/// Properties of [`NotesScreen`].
#[derive(Properties, PartialEq, Debug)]
pub struct NotesScreenProps {
    /// Which lesson.
    pub slug: &'static str,
}

/// The lesson as a challenge, as the Challenge dialog makes it from the lesson's screen.
pub fn lesson_challenge(lesson: &lessons::Lesson) -> Challenge {
    Challenge {
        title: lesson.meta.title.clone(),
        brief: lesson.meta.hook.clone(),
        start: lesson.start.clone(),
        hints: lesson.meta.hints.clone(),
        solution: Some(lesson.solution.clone()),
        released: false,
        lesson: Some(lesson.slug.to_string()),
        find: lesson.meta.find.clone(),
    }
}

/// The handout.
#[function_component(NotesScreen)]
pub fn notes_screen(props: &NotesScreenProps) -> Html {
    let loaded = use_state(|| None::<Result<(String, Challenge), String>>);
    {
        let (loaded, slug) = (loaded.clone(), props.slug);
        use_effect_with(slug, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let notes = io::fetch_text(&format!("lessons/{slug}/facilitator.md")).await;
                let lesson = lessons::fetch(slug, false).await;
                loaded.set(Some(match (notes, lesson) {
                    (Ok(n), Ok(l)) => Ok((n, lesson_challenge(&l))),
                    (Err(e), _) | (_, Err(e)) => Err(e),
                }));
            });
        });
    }
    let page = io::page_address();
    let print = Callback::from(|_: MouseEvent| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    });
    html! {
        <div class="handout">
            <header class="topbar no-print"><h1>{ format!("{PRODUCT_NAME}: facilitator notes") }</h1>
                <button class="primary" onclick={print}>{ "Print" }</button></header>
            <main class="handout-body">
                { match &*loaded {
                    None => html! { <p class="notice" role="status">{ "Opening the notes…" }</p> },
                    Some(Err(why)) => html! { <p class="notice error" role="alert">{ format!("The notes could not be opened: {why}") }</p> },
                    Some(Ok((notes, challenge))) => {
                        let link = format!("{page}#{}", challenge.link());
                        let released = format!("{page}#{}", Challenge { released: true, ..challenge.clone() }.link());
                        html! {
                            <>
                                <div class="story">{ markdown::render(notes) }</div>
                                <h2>{ "Challenge link for the room" }</h2>
                                <p class="handout-link">{ link }</p>
                                <h2>{ "The same, with the solution released (for the end)" }</h2>
                                <p class="handout-link">{ released }</p>
                            </>
                        }
                    }
                } }
            </main>
        </div>
    }
}
