//! Entry point of `workshop.js`: a challenge, the facilitator's window, the compare page and the
//! notes, loaded only by a page opened on one of them. The dialogs and the inspector are
//! parts of this file, fetched when first drawn (`app::parts`).

fn main() {
    app::parts::provide(app::parts::Parts {
        dialogs: Some(app::part!(
            dialogs,
            app::dialogs::LazyDialogProps,
            app::dialogs::draw
        )),
        embed: None,
        inspector: Some(app::part!(
            inspector,
            app::components::inspector::InspectorProps,
            app::components::inspector::draw
        )),
    });
    yew::Renderer::<app::shell::WorkshopApp>::new().render();
}
