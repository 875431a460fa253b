//! Entry point of `workshop.js`: a challenge, the facilitator's window, the compare page and the
//! notes, loaded only by a page opened on one of them.

fn main() {
    yew::Renderer::<app::shell::WorkshopApp>::new().render();
}
