//! Alert tables (AlertInfo, AlertEvidence): their scenarios, which walk
//! each alert's evidence entities, and their own columns.

use super::TableKind;
use super::email::msg_col;
use crate::generate::catalogue::alerts::{ALERTS, AlertSpec, ENTITIES, Entity};
use crate::generate::catalogue::cloud_apps::CLOUD_APPS;
use crate::generate::columns::{Gen, device_col, nothing, when};
use crate::generate::random::unit;
use crate::generate::records::{Ctx, Event, FileRef, NetRef, SUBJECT, TARGET};
use crate::generate::world::{Act, AlertRef, EpCat, MailKind};

pub(super) fn alert_info_event(c: &mut Ctx<'_>) {
    let alert = c.w.alert(c.ev.seq);
    c.ev.device = ALERTS[alert.spec as usize]
        .entities
        .contains(&Entity::Machine)
        .then_some(alert.device);
    c.ev.alert = Some(alert);
}

pub(super) fn alert_evidence_event(c: &mut Ctx<'_>) {
    let w = c.w;
    let (no, row) = c.cursor;
    let alert = w.alert(no);
    let spec = &ALERTS[alert.spec as usize];
    let entity = spec.entities[row.min(spec.entities.len() - 1)];
    c.cursor = if row + 1 >= spec.entities.len() {
        (no + 1, 0)
    } else {
        (no, row + 1)
    };
    c.ev.alert = Some(alert);
    c.ev.spec = entity as u16;
    let dev = alert.device;
    match entity {
        Entity::Machine => c.ev.device = Some(dev),
        Entity::User | Entity::Mailbox => c.ev.accts[SUBJECT] = Some(alert.user),
        Entity::File => {
            c.ev.device = Some(dev);
            c.ev.file = Some(
                match w.proc_by_name(spec.process, w.devices[dev as usize].role) {
                    Some(p) if spec.process == "mk.exe" => FileRef::Proc(p),
                    _ => FileRef::Pool(w.bad_files.at(unit(alert.key)) as u32),
                },
            );
        }
        Entity::Process => {
            c.ev.device = Some(dev);
            let p = c.proc_named(dev, spec.process, Act::Spawn);
            let parent = c.parent_of(p, dev);
            c.chain(dev, parent);
            let user = alert.user;
            c.ev.procs[TARGET] = Some(c.new_proc(p, dev, user));
            c.ev.file = Some(FileRef::Proc(p));
            c.ev.accts[SUBJECT] = Some(user);
        }
        Entity::Ip | Entity::Url => {
            let remote = w.ep_pools[EpCat::Bad as usize].at(unit(alert.key >> 3)) as u32;
            let url =
                (entity == Entity::Url).then(|| w.url_pools[1].at(unit(alert.key >> 5)) as u32);
            c.ev.net = Some(NetRef {
                remote: Some(remote),
                url,
                ..NetRef::default()
            });
        }
        Entity::MailMessage => c.ev.msg = Some(c.message_near(|m| m.kind == MailKind::Phish)),
        Entity::CloudApplication => c.ev.app = (alert.key % CLOUD_APPS.len() as u64) as u16,
    }
}

fn alert_col(f: impl Fn(&mut Ctx<'_>, AlertRef, &'static AlertSpec) + 'static) -> Gen {
    when(
        |e| e.alert,
        true,
        move |c, a| f(c, a, &ALERTS[a.spec as usize]),
    )
}

pub(super) fn alert_column(kind: TableKind, name: &str) -> Option<Gen> {
    let entity = |e: &Event| Some(ENTITIES[e.spec as usize]);
    Some(match name {
        "AlertId" => alert_col(|c, a, s| {
            let id = c.w.alert_id(a, s);
            c.str(&id);
        }),
        "Title" => alert_col(|c, _, s| c.str(s.title)),
        "Category" => alert_col(|c, _, s| c.str(s.category)),
        "Categories" => alert_col(|c, _, s| {
            let categories = format!("[\"{}\"]", s.category);
            c.str(&categories);
        }),
        "Severity" => alert_col(|c, _, s| c.str(s.severity)),
        "ServiceSource" => alert_col(|c, _, s| c.str(s.service)),
        "DetectionSource" => alert_col(|c, _, s| c.str(s.detection)),
        "AttackTechniques" => alert_col(|c, _, s| c.str(s.techniques)),
        "MachineGroup" => device_col(|c, d| c.opt(d.group)),
        _ if kind == TableKind::AlertInfo => return None,
        "EntityType" => when(entity, true, |c, e| c.str(e.name())),
        "EvidenceRole" => when(entity, true, |c, e| {
            let role = match e {
                Entity::Machine | Entity::User | Entity::Mailbox => "Impacted",
                _ => "Related",
            };
            c.str(role);
        }),
        "EvidenceDirection" => when(entity, true, |c, e| {
            if e == Entity::Ip {
                c.str("Destination")
            } else {
                c.null()
            }
        }),
        "ThreatFamily" => when(
            |e| e.file.and(e.alert),
            true,
            |c, a| {
                let family = ALERTS[a.spec as usize].family;
                c.opt(family);
            },
        ),
        "LocalIP" => device_col(|c, d| c.str(&d.ip)),
        "RemoteIP" => when(
            |e| {
                e.net
                    .filter(|_| e.spec == Entity::Ip as u16)
                    .and_then(|n| n.remote)
            },
            true,
            |c, r| {
                let w = c.w;
                c.str(&w.endpoints[r as usize].ip);
            },
        ),
        "RemoteUrl" => when(
            |e| e.net.and_then(|n| n.url),
            true,
            |c, u| {
                let w = c.w;
                c.str(&w.urls[u as usize].url);
            },
        ),
        "NetworkMessageId" => msg_col(|c, m| c.str(&m.network_message_id())),
        "EmailSubject" => msg_col(|c, m| c.str(m.subject())),
        "Application" => when(
            |e| (e.spec == Entity::CloudApplication as u16).then_some(e.app),
            true,
            |c, a| {
                c.str(CLOUD_APPS[a as usize].name);
            },
        ),
        "ApplicationId" => when(
            |e| (e.spec == Entity::CloudApplication as u16).then_some(e.app),
            false,
            |c, a| {
                c.uint(u64::from(CLOUD_APPS[a as usize].id));
            },
        ),
        "OAuthApplicationId" | "RegistryKey" | "RegistryValueName" | "RegistryValueData"
        | "CloudResource" | "CloudPlatform" | "ResourceType" | "ResourceID" | "SubscriptionId" => {
            nothing()
        }
        "AccountUpn" => when(
            |e| e.accts[SUBJECT],
            true,
            |c, u| {
                let w = c.w;
                c.opt(w.users[u as usize].upn.as_deref());
            },
        ),
        "AdditionalFields" => when(entity, true, |c, e| match e.fields() {
            Some(template) => c.render_json(template, true),
            None => c.null(),
        }),
        _ => return None,
    })
}
