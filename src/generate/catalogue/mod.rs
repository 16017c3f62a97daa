//! The catalogue: static data the world is built from. Names, paths and
//! command lines follow what Defender reports on real fleets; a few entries
//! are attacker tradecraft (encoded PowerShell, certutil downloads, LSASS
//! dumps, DCSync, inbox rules) so that detection queries have something to
//! find.

pub(super) mod alerts;
pub(super) mod cloud_apps;
pub(super) mod device_activity;
pub(super) mod email;
pub(super) mod files;
pub(super) mod identity;
pub(super) mod network;
pub(super) mod org;
pub(super) mod processes;
pub(super) mod templates;
