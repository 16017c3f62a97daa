//! Identity tables (IdentityLogonEvents, IdentityQueryEvents,
//! IdentityDirectoryEvents): their scenarios and own columns.

use rand::Rng;

use super::TableKind;
use crate::generate::catalogue::identity::{
    IDENTITY_DIRECTORY, IDENTITY_LOGON_FIELDS, IDENTITY_LOGONS, IDENTITY_QUERIES,
    IDENTITY_QUERY_FIELDS,
};
use crate::generate::catalogue::org::AD_DOMAIN;
use crate::generate::columns::{Gen, device_col, g, lit, nothing, raw, text, when};
use crate::generate::random::pick_index;
use crate::generate::records::{Ctx, Event, SUBJECT, TARGET_ACCOUNT};
use crate::generate::world::Dom;

impl Ctx<'_> {
    /// The person, their device and a domain controller of an identity event.
    fn identity_actor(&mut self) -> u16 {
        let w = self.w;
        let user = if self.chance(0.1) {
            (w.admins.start + self.rng.random_range(0..w.admins.len())) as u16
        } else if self.chance(0.05) {
            (w.services.start + self.rng.random_range(0..w.services.len())) as u16
        } else {
            self.pick_person()
        };
        self.ev.accts[SUBJECT] = Some(user);
        self.ev.device = Some(w.persons_device(user) as u16);
        self.ev.peer = Some(w.dcs[self.rng.random_range(0..w.dcs.len())] as u16);
        user
    }
}

pub(super) fn identity_logon_event(c: &mut Ctx<'_>) {
    c.identity_actor();
    let i = pick_index(&mut c.rng, IDENTITY_LOGONS, |s| s.weight);
    c.ev.spec = i as u16;
    c.ev.action = IDENTITY_LOGONS[i].action;
}

pub(super) fn identity_query_event(c: &mut Ctx<'_>) {
    c.identity_actor();
    let i = pick_index(&mut c.rng, IDENTITY_QUERIES, |s| s.weight);
    c.ev.spec = i as u16;
    c.ev.action = IDENTITY_QUERIES[i].action;
    c.ev.accts[TARGET_ACCOUNT] = Some(c.pick_person());
}

pub(super) fn identity_directory_event(c: &mut Ctx<'_>) {
    c.identity_actor();
    let i = pick_index(&mut c.rng, IDENTITY_DIRECTORY, |s| s.weight);
    c.ev.spec = i as u16;
    c.ev.action = IDENTITY_DIRECTORY[i].action;
    c.ev.accts[TARGET_ACCOUNT] = Some(c.pick_person());
}

pub(super) fn identity_column(kind: TableKind, name: &str) -> Option<Gen> {
    use TableKind as T;
    let peer = |e: &Event| e.peer;
    let spec = |e: &Event| Some(e.spec as usize);
    Some(match (kind, name) {
        (_, "Application") => text("Active Directory"),
        (_, "AccountDomain") => when(
            |e| e.accts[SUBJECT],
            true,
            |c, u| {
                let w = c.w;
                match w.users[u as usize].domain {
                    Dom::Corp => c.str(AD_DOMAIN),
                    Dom::NtAuthority => c.str("nt authority"),
                }
            },
        ),
        (_, "DeviceName") => device_col(|c, d| c.str(&d.name.to_ascii_uppercase())),
        (_, "DeviceType") => lit(&[(None, 8), (Some("Desktop"), 2)]),
        (_, "OSPlatform") => lit(&[(None, 7), (Some("Windows 11"), 2), (Some("Windows 10"), 1)]),
        (_, "IPAddress") => device_col(|c, d| c.str(&d.ip)),
        (_, "Port") => g(|c| {
            if c.chance(0.3) {
                c.null();
            } else {
                let port = c.rng.random_range(49_152..65_535u64);
                c.uint(port);
            }
        }),
        (_, "DestinationDeviceName") => when(peer, true, |c, p| {
            let name = format!("{}.{AD_DOMAIN}", c.w.devices[p as usize].name);
            c.str(&name);
        }),
        (_, "DestinationIPAddress") => when(peer, true, |c, p| {
            let w = c.w;
            c.str(&w.devices[p as usize].ip);
        }),
        (T::IdentityLogonEvents, "DestinationPort") => {
            when(spec, false, |c, i| c.uint(IDENTITY_LOGONS[i].port.into()))
        }
        (T::IdentityQueryEvents, "DestinationPort") => {
            when(spec, false, |c, i| c.uint(IDENTITY_QUERIES[i].port.into()))
        }
        (_, "DestinationPort") => raw(&[("null", 3), ("445", 1)]),
        (_, "TargetDeviceName") => g(|c| c.null()),
        (_, "Location" | "ISP" | "Isp") => nothing(),
        (_, "ReportId") => g(|c| c.unique_guid()),
        (T::IdentityLogonEvents, "LogonType") => {
            when(spec, true, |c, i| c.str(IDENTITY_LOGONS[i].logon_type))
        }
        (T::IdentityLogonEvents, "Protocol") => {
            when(spec, true, |c, i| c.str(IDENTITY_LOGONS[i].protocol))
        }
        (T::IdentityLogonEvents, "FailureReason") => {
            when(spec, true, |c, i| c.opt(IDENTITY_LOGONS[i].failure))
        }
        (T::IdentityQueryEvents, "Protocol") => {
            when(spec, true, |c, i| c.str(IDENTITY_QUERIES[i].protocol))
        }
        (T::IdentityQueryEvents, "QueryType") => {
            when(spec, true, |c, i| c.str(IDENTITY_QUERIES[i].query_type))
        }
        (T::IdentityQueryEvents, "Query") => {
            when(spec, true, |c, i| c.render(IDENTITY_QUERIES[i].query))
        }
        (T::IdentityQueryEvents, "QueryTarget") => {
            when(spec, true, |c, i| c.render(IDENTITY_QUERIES[i].target))
        }
        (_, "Protocol") => lit(&[(Some("Ldap"), 3), (Some("Kerberos"), 2), (None, 2)]),
        (T::IdentityLogonEvents, "AdditionalFields") => {
            g(|c| c.render_json(IDENTITY_LOGON_FIELDS, false))
        }
        (T::IdentityQueryEvents, "AdditionalFields") => {
            g(|c| c.render_json(IDENTITY_QUERY_FIELDS, false))
        }
        (_, "AdditionalFields") => when(spec, false, |c, i| {
            c.render_json(IDENTITY_DIRECTORY[i].fields, false)
        }),
        _ => return None,
    })
}
