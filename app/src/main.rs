//! Entry point of the app's main file: lessons, the sandbox and the embed's view
//! (`app::shell::App`). `src/bin/` holds the home screen's and the workshop's. The embed's screen,
//! the dialogs and the inspector are parts of this file, fetched when first drawn (`app::parts`).

fn main() {
    app::parts::provide(app::parts::Parts {
        dialogs: Some(app::part!(
            dialogs,
            app::dialogs::LazyDialogProps,
            app::dialogs::draw
        )),
        embed: Some(app::part!(embed, (), app::shell::draw_embed)),
        inspector: Some(app::part!(
            inspector,
            app::components::inspector::InspectorProps,
            app::components::inspector::draw
        )),
    });
    yew::Renderer::<app::App>::new().render();
}
