//! CloudAppEvents: its scenario, its own columns and the audit record
//! behind each activity (`RawEventData`).

use rand::Rng;

use crate::generate::catalogue::cloud_apps::{
    ADMIN_OPERATIONS, CLOUD_APPS, CloudApp, SHAREPOINT_SITES, USER_AGENTS,
};
use crate::generate::catalogue::network::GEOS;
use crate::generate::columns::{Gen, g, lit, nothing, raw, text, when};
use crate::generate::random::{hash2, hash3, mix64, pick_index};
use crate::generate::records::{Ctx, FileRef, SUBJECT};
use crate::generate::text::{TimeStyle, push_hash, push_hex, push_padded, push_u64};
use crate::generate::world::{Role, UserKind};

pub(super) fn cloud_app_event(c: &mut Ctx<'_>) {
    let w = c.w;
    let app = pick_index(&mut c.rng, CLOUD_APPS, |a| a.weight);
    let spec = &CLOUD_APPS[app];
    c.ev.app = app as u16;
    c.ev.action = *c.pick(spec.actions);
    let user = if c.chance(0.08) {
        (w.admins.start + c.rng.random_range(0..w.admins.len())) as u16
    } else {
        c.pick_person()
    };
    c.ev.accts[SUBJECT] = Some(user);
    c.ev.geo = match c.rng.random_range(0..100) {
        0..=59 => 0,
        60..=96 => w.users[user as usize].home,
        _ => w.risky_geos[c.rng.random_range(0..w.risky_geos.len())],
    };
    c.ev.flag = GEOS[c.ev.geo as usize].risky;
    if spec.files {
        let role = Role::Workstation;
        c.ev.file = Some(FileRef::Pool(
            w.file_pools[role as usize].sample(&mut c.rng) as u32,
        ));
    }
}

impl Ctx<'_> {
    /// The public IP the subject used from the record's location.
    pub(super) fn geo_ip(&self) -> String {
        let geo = &GEOS[self.ev.geo as usize];
        let user = self.ev.accts[SUBJECT].map_or(0, u64::from);
        let h = hash3(self.w.seed, user, u64::from(self.ev.geo));
        format!("{}{}.{}", geo.prefix, h % 250 + 2, (h >> 8) % 250 + 2)
    }

    fn cloud_app(&self) -> &'static CloudApp {
        &CLOUD_APPS[self.ev.app as usize]
    }
}

pub(super) fn cloud_column(name: &str) -> Option<Gen> {
    Some(match name {
        "Application" => g(|c| c.str(c.cloud_app().name)),
        "ApplicationId" => g(|c| c.uint(u64::from(c.cloud_app().id))),
        "AppInstanceId" => raw(&[("0", 1)]),
        "IsAdminOperation" => g(|c| {
            let admin = ADMIN_OPERATIONS.contains(&c.ev.action);
            c.bool(admin);
        }),
        "DeviceType" => lit(&[(Some("Desktop"), 6), (Some("Mobile"), 1), (None, 3)]),
        "OSPlatform" => lit(&[
            (Some("Windows 10"), 5),
            (Some("macOS"), 1),
            (Some("iOS"), 1),
            (None, 3),
        ]),
        "IPAddress" => g(|c| {
            let ip = c.geo_ip();
            c.str(&ip);
        }),
        "IsAnonymousProxy" => g(|c| {
            let tor = GEOS[c.ev.geo as usize].isp.contains("Tor");
            c.bool(tor);
        }),
        "CountryCode" => g(|c| c.str(GEOS[c.ev.geo as usize].country)),
        "City" => g(|c| c.str(GEOS[c.ev.geo as usize].city)),
        "Isp" | "ISP" => g(|c| c.str(GEOS[c.ev.geo as usize].isp)),
        "UserAgent" => lit(USER_AGENTS),
        "ActivityType" => lit(&[(Some("Basic"), 9), (Some("Upload"), 1)]),
        "ActivityObjects" => g(|c| c.activity_objects()),
        "ObjectName" => when(
            |e| e.file,
            true,
            |c, f| {
                let v = c.file_view(f);
                c.str(v.name);
            },
        ),
        "ObjectType" => when(|e| e.file, true, |c, _| c.str("File")),
        "ObjectId" => when(
            |e| e.file,
            true,
            |c, f| {
                let url = c.sharepoint_url(f);
                c.str(&url);
            },
        ),
        "ReportId" => g(|c| {
            let mut id = String::with_capacity(72);
            push_hex(&mut id, mix64(c.ev.seq ^ c.salt), 16, false);
            push_hash(&mut id, hash2(c.salt, c.ev.seq), 48);
            id.push('_');
            push_u64(&mut id, u64::from(c.cloud_app().id));
            c.str(&id);
        }),
        "AccountType" => when(
            |e| e.accts[SUBJECT],
            true,
            |c, u| {
                let admin = c.w.users[u as usize].kind == UserKind::Admin;
                c.str(if admin { "Admin" } else { "Regular" });
            },
        ),
        "IsExternalUser" | "IsImpersonated" => raw(&[("false", 1)]),
        "IPTags" => g(|c| {
            let geo = &GEOS[c.ev.geo as usize];
            c.raw("[");
            if let Some(tag) = geo.tag {
                c.str(tag);
            }
            c.raw("]");
        }),
        "IPCategory" => g(|c| {
            let geo = &GEOS[c.ev.geo as usize];
            c.opt(geo.category);
        }),
        "UserAgentTags" => raw(&[("null", 3), ("[]", 1)]),
        "RawEventData" => g(|c| c.raw_event_data()),
        "AdditionalFields" => g(|c| {
            let satellite = c.ev.flag && c.chance(0.05);
            c.raw("{");
            c.key("IsSatelliteProvider");
            c.bool(satellite);
            c.raw("}");
        }),
        "LastSeenForUser" => g(|c| {
            c.raw("{");
            for key in ["ActionType", "ISP", "IPAddress", "Application"] {
                c.key(key);
                let days = if c.ev.flag {
                    c.rng.random_range(-1..2)
                } else {
                    c.rng.random_range(0..30)
                };
                c.int(days);
            }
            c.raw("}");
        }),
        "UncommonForUser" => g(|c| {
            c.raw("[");
            if c.ev.flag {
                for key in ["ISP", "IPAddress", "CountryCode"] {
                    c.sep();
                    c.str(key);
                }
            }
            c.raw("]");
        }),
        "AuditSource" => text("Defender for Cloud Apps app connector"),
        "SessionData" => g(|c| {
            if c.chance(0.7) {
                c.null();
            } else {
                c.raw("{");
                c.key("InteractiveSessionId");
                c.random_guid();
                c.raw("}");
            }
        }),
        "OAuthAppId" => nothing(),
        _ => return None,
    })
}

impl Ctx<'_> {
    fn sharepoint_url(&self, f: FileRef) -> String {
        let name = self.file_view(f).name;
        let site =
            SHAREPOINT_SITES[(hash2(self.ev.seq, 5) % SHAREPOINT_SITES.len() as u64) as usize];
        format!("https://contoso.sharepoint.com/sites/{site}/Shared Documents/{name}")
    }

    fn activity_objects(&mut self) {
        let w = self.w;
        let Some(user) = self.ev.accts[SUBJECT] else {
            self.raw("[]");
            return;
        };
        let u = &w.users[user as usize];
        self.raw("[{");
        self.key("Type");
        self.str("User");
        self.key("Role");
        self.str("Actor");
        self.key("Name");
        self.str(&u.display);
        self.key("Id");
        self.opt(u.object_id.as_deref());
        self.key("ApplicationId");
        self.uint(u64::from(self.cloud_app().id));
        self.key("ApplicationInstance");
        self.raw("0}");
        if let Some(f) = self.ev.file {
            let url = self.sharepoint_url(f);
            let name = self.file_view(f).name;
            self.raw(",{");
            self.key("Type");
            self.str("File");
            self.key("Role");
            self.str("Target object");
            self.key("Name");
            self.str(name);
            self.key("Id");
            self.str(&url);
            self.raw("}");
        }
        self.raw("]");
    }

    /// The audit record behind a cloud activity: an Office 365 unified audit
    /// log record, or a Google Workspace activity (with a `uniqueQualifier`
    /// beyond 2^53, quirks D.6).
    fn raw_event_data(&mut self) {
        let w = self.w;
        let app = self.cloud_app();
        let user = &w.users[self.ev.accts[SUBJECT].unwrap_or(0) as usize];
        let ip = self.geo_ip();
        let ts = self.ev.ts;
        self.raw("{");
        if app.google {
            self.key("actor");
            self.raw("{");
            self.key("email");
            self.opt(user.upn.as_deref());
            self.key("profileId");
            self.out.push('"');
            push_padded(&mut self.out, user.key, 21);
            self.out.push('"');
            self.raw("}");
            self.key("id");
            self.raw("{");
            self.key("applicationName");
            self.str("token");
            self.key("customerId");
            self.str("C03az79cb");
            self.key("time");
            self.raw("{");
            self.key("dateOnly");
            self.raw("false");
            self.key("timeZoneShift");
            self.raw("0");
            self.key("value");
            self.int(ts / 1_000_000);
            self.raw("}");
            self.key("uniqueQualifier");
            self.int(hash2(self.salt, self.ev.seq) as i64);
            self.raw("}");
            self.key("ipAddress");
            self.str(&ip);
            self.key("kind");
            self.str("admin#reports#activity");
            self.key("events");
            self.raw("[{");
            self.key("name");
            self.str(self.ev.action);
            self.key("type");
            self.str("auth");
            self.raw("}]");
        } else {
            self.key("CreationTime");
            self.time(
                ts,
                TimeStyle {
                    digits: 0,
                    trim: false,
                    zulu: false,
                },
            );
            self.key("Id");
            self.random_guid();
            self.key("Operation");
            self.str(self.ev.action);
            self.key("OrganizationId");
            self.str(&w.tenant);
            self.key("RecordType");
            self.uint(u64::from(app.record_type));
            self.key("ResultStatus");
            self.str("Succeeded");
            self.key("UserKey");
            self.opt(user.object_id.as_deref());
            self.key("UserType");
            self.raw(if user.kind == UserKind::Admin {
                "2"
            } else {
                "0"
            });
            self.key("Version");
            self.raw("1");
            self.key("Workload");
            self.str(app.workload);
            self.key("ClientIP");
            self.str(&ip);
            self.key("UserId");
            self.opt(user.upn.as_deref());
            if let Some(f) = self.ev.file {
                let url = self.sharepoint_url(f);
                let name = self.file_view(f).name;
                self.key("ObjectId");
                self.str(&url);
                self.key("SourceFileName");
                self.str(name);
                self.key("SourceRelativeUrl");
                self.str("Shared Documents");
            }
            if self.ev.action == "New-InboxRule" {
                self.key("Parameters");
                self.raw(concat!(
                    r#"[{"Name":"Name","Value":"."},{"Name":"MoveToFolder","Value":"RSS Feeds"},"#,
                    r#"{"Name":"SubjectOrBodyContainsWords","Value":"invoice;payment;wire"},"#,
                    r#"{"Name":"StopProcessingRules","Value":"True"}]"#
                ));
            }
            if self.ev.action == "MailItemsAccessed" {
                self.key("OperationProperties");
                self.raw(r#"[{"Name":"MailAccessType","Value":"Bind"},{"Name":"IsThrottled","Value":"False"}]"#);
            }
        }
        self.raw("}");
    }
}
