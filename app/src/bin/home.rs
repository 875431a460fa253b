//! Entry point of `home.js`: the lesson list alone, what a first visit downloads.

fn main() {
    yew::Renderer::<app::shell::HomeApp>::new().render();
}
