//! Entry point of the app's main file: lessons, the sandbox and the embed's view
//! (`app::shell::App`). `src/bin/` holds the home screen's and the workshop's.

fn main() {
    yew::Renderer::<app::App>::new().render();
}
