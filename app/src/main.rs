//! Entry point: mounts the app on the page's body.

fn main() {
    yew::Renderer::<app::App>::new().render();
}
