//! The app's screens, one a file. Each owns its hooks (session, run, autosave...) and draws
//! shared components; the shell picks one by the route. See ARCHITECTURE.md, "Adding a screen".

mod challenge;
mod compare;
mod embed;
mod facilitator;
mod home;
mod host;
mod lesson;
mod notes;
mod room;
mod sandbox;

pub use challenge::challenge_screen;
pub use compare::CompareScreen;
pub use embed::EmbedScreen;
pub use facilitator::FacilitatorScreen;
pub use home::HomeScreen;
pub use host::HostScreen;
pub use lesson::LessonScreen;
pub use notes::{lesson_challenge, NotesScreen};
pub use room::RoomScreen;
pub use sandbox::SandboxScreen;

use crate::route::Route;
use yew::prelude::*;

/// What every screen is given: the way to open another.
#[derive(Properties, PartialEq, Debug)]
pub struct ScreenProps {
    /// Opens a screen.
    pub navigate: Callback<Route>,
}
