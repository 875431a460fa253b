//! One component a file: the parts of the playground's page.

pub mod canvas;
pub mod challenge_dialog;
pub mod charts;
pub mod compare;
pub mod controls;
pub mod dialog;
pub mod embed_dialog;
pub mod faults;
pub mod find_it;
pub mod goals;
pub mod home;
pub mod inspector;
pub mod lesson_panel;
pub mod logs;
pub mod palette;
pub mod selection_inspector;
pub mod shortcut_check;
pub mod timeline;
pub mod topbar;
pub mod wire_inspector;
pub mod workbench;
