//! E-mail tables (EmailEvents, EmailAttachmentInfo, EmailUrlInfo,
//! EmailPostDeliveryEvents) and UrlClickEvents: their scenarios, which tie
//! every row to a message of EmailEvents, and their own columns.

use rand::Rng;

use super::TableKind;
use crate::generate::NANOS;
use crate::generate::catalogue::email::{POST_DELIVERY, SENDERS, VERDICTS, Verdict};
use crate::generate::columns::{Gen, g, lit, nothing, raw, text, when};
use crate::generate::random::hash2;
use crate::generate::records::{Ctx, SUBJECT};
use crate::generate::text::{ENVELOPE_TIME, guid, push_hex, push_u64};
use crate::generate::world::{Direction, MailKind, Msg, Sender};

pub(super) fn email_event(c: &mut Ctx<'_>) {
    c.ev.msg = Some(c.w.message(c.ev.seq));
}

impl Ctx<'_> {
    /// A message received around the record's time that satisfies `want`
    /// (links other e-mail tables to EmailEvents rows).
    pub(super) fn message_near(&mut self, want: impl Fn(&Msg) -> bool) -> Msg {
        let w = self.w;
        let elapsed = (self.ev.ts - w.start).max(0) as f64 / w.span as f64;
        let estimate = (w.emails as f64 * elapsed) as u64;
        let (low, high) = (estimate.saturating_sub(300), estimate.max(60));
        let mut msg = w.message(estimate);
        for _ in 0..16 {
            msg = w.message(self.rng.random_range(low..=high));
            if want(&msg) {
                break;
            }
        }
        msg
    }
}

pub(super) fn attachment_event(c: &mut Ctx<'_>) {
    let msg = c.message_near(|m| m.attachments > 0);
    c.ev.spec = c.rng.random_range(0..u16::from(msg.attachments.max(1)));
    c.ev.msg = Some(msg);
}

pub(super) fn email_url_event(c: &mut Ctx<'_>) {
    let msg = c.message_near(|m| m.urls > 0);
    c.ev.spec = c.rng.random_range(0..u16::from(msg.urls.max(1)));
    c.ev.msg = Some(msg);
}

pub(super) fn post_delivery_event(c: &mut Ctx<'_>) {
    let msg = c.message_near(|m| m.kind != MailKind::Clean);
    let actions = &POST_DELIVERY[msg.kind as usize];
    c.ev.spec = c.rng.random_range(0..actions.len() as u16);
    c.ev.action = actions[c.ev.spec as usize].1;
    c.ev.msg = Some(msg);
}

pub(super) fn url_click_event(c: &mut Ctx<'_>) {
    let msg = c.message_near(|m| m.urls > 0 && m.direction == Direction::Inbound);
    c.ev.accts[SUBJECT] = Some(msg.recipient);
    c.ev.spec = c.rng.random_range(0..u16::from(msg.urls.max(1)));
    let bad = c.w.urls[c.w.message_url(&msg, c.ev.spec) as usize].bad;
    c.ev.action = if bad {
        *c.pick(&[
            ("ClickBlocked", 6),
            ("ClickAllowed", 2),
            ("UrlScanInProgress", 1),
        ])
    } else {
        *c.pick(&[("ClickAllowed", 30), ("UrlErrorPage", 1)])
    };
    c.ev.flag = c.ev.action == "ClickAllowed" || (c.ev.action == "ClickBlocked" && c.chance(0.1));
    c.ev.geo = c.w.users[msg.recipient as usize].home;
    c.ev.msg = Some(msg);
}

/// A column of the record's message.
pub(super) fn msg_col(f: impl Fn(&mut Ctx<'_>, Msg) + 'static) -> Gen {
    when(|e| e.msg, true, f)
}

/// A column of the record's message verdict.
fn verdict_col(f: impl Fn(&mut Ctx<'_>, &'static Verdict) + 'static) -> Gen {
    msg_col(move |c, m| f(c, &VERDICTS[m.kind as usize]))
}

pub(super) fn email_column(kind: TableKind, name: &str) -> Option<Gen> {
    use TableKind as T;
    Some(match (kind, name) {
        (_, "NetworkMessageId") => msg_col(|c, m| c.str(&m.network_message_id())),
        (_, "InternetMessageId") => msg_col(|c, m| {
            let id = match m.sender {
                Sender::Internal(_) => {
                    let mut id = String::from("<");
                    push_hex(&mut id, m.key, 12, true);
                    id.push_str("@AM6PR04MB");
                    push_u64(&mut id, 1_000 + m.key % 9_000);
                    id.push_str(".eurprd04.prod.outlook.com>");
                    id
                }
                Sender::External(s) => format!(
                    "<{}@{}>",
                    guid(m.key, hash2(m.key, 3)),
                    SENDERS[s as usize].domain()
                ),
            };
            c.str(&id);
        }),
        (_, "SenderMailFromAddress" | "SenderFromAddress") => msg_col(|c, m| {
            let address = c.w.sender_address(&m);
            c.str(&address);
        }),
        (_, "SenderDisplayName") => msg_col(|c, m| {
            let w = c.w;
            match m.sender {
                Sender::Internal(u) => c.str(&w.users[u as usize].display),
                Sender::External(s) => c.str(SENDERS[s as usize].display),
            }
        }),
        (_, "SenderObjectId") => msg_col(|c, m| match m.sender {
            Sender::Internal(u) => {
                let w = c.w;
                c.opt(w.users[u as usize].object_id.as_deref());
            }
            Sender::External(_) => c.null(),
        }),
        (_, "SenderMailFromDomain" | "SenderFromDomain") => msg_col(|c, m| {
            let address = c.w.sender_address(&m);
            c.str(address.rsplit('@').next().unwrap_or_default());
        }),
        (_, "SenderIPv4") => msg_col(|c, m| match m.sender {
            Sender::Internal(_) => c.null(),
            Sender::External(s) => {
                let ip = format!("{}{}", SENDERS[s as usize].ip_prefix, 2 + m.key % 250);
                c.str(&ip);
            }
        }),
        (_, "SenderIPv6") => g(|c| c.null()),
        (_, "RecipientEmailAddress") => msg_col(|c, m| {
            let address = c.w.recipient_address(&m);
            c.str(&address);
        }),
        (_, "RecipientDomain") => msg_col(|c, m| {
            let address = c.w.recipient_address(&m);
            c.str(address.rsplit('@').next().unwrap_or_default());
        }),
        (_, "RecipientObjectId") => msg_col(|c, m| {
            let w = c.w;
            if m.direction == Direction::Outbound {
                c.null();
            } else {
                c.opt(w.users[m.recipient as usize].object_id.as_deref());
            }
        }),
        (_, "Subject") => msg_col(|c, m| c.str(m.subject())),
        (_, "EmailClusterId") => msg_col(|c, m| c.uint(m.cluster_id())),
        (_, "EmailDirection") => msg_col(move |c, m| {
            if kind == T::EmailPostDeliveryEvents && c.chance(0.3) {
                c.null();
            } else {
                c.str(m.direction.name());
            }
        }),
        (T::EmailPostDeliveryEvents, "DeliveryLocation") => msg_col(|c, m| {
            let location = POST_DELIVERY[m.kind as usize][c.ev.spec as usize].3;
            c.str(location);
        }),
        (_, "DeliveryAction") => verdict_col(|c, v| c.str(v.action)),
        (_, "DeliveryLocation") => verdict_col(|c, v| c.str(v.location)),
        (_, "ThreatTypes" | "OriginalThreatTypes") => verdict_col(|c, v| c.opt(v.threats)),
        (_, "ThreatNames") => verdict_col(|c, v| c.opt(v.threat_names)),
        (_, "DetectionMethods" | "OriginalDetectionMethods") => {
            verdict_col(|c, v| c.opt(v.detection))
        }
        (_, "ConfidenceLevel" | "OriginalConfidenceLevel") => {
            verdict_col(|c, v| c.opt(v.confidence))
        }
        (_, "BulkComplaintLevel") => verdict_col(|c, v| match v.bcl {
            Some(b) => c.uint(u64::from(b)),
            None => c.null(),
        }),
        (_, "EmailAction") => verdict_col(|c, v| c.opt(v.email_action)),
        (_, "EmailActionPolicy") => verdict_col(|c, v| c.opt(v.policy)),
        (_, "EmailActionPolicyGuid") => verdict_col(|c, v| match v.policy {
            Some(p) => {
                let key = xxhash_rust::xxh3::xxh3_64(p.as_bytes());
                c.guid(key, key.rotate_left(17));
            }
            None => c.null(),
        }),
        (_, "OrgLevelAction") => verdict_col(|c, v| c.opt(v.org_action)),
        (_, "OrgLevelPolicy") => {
            verdict_col(|c, v| c.opt(v.org_action.map(|_| "Anti-spam policy: Default")))
        }
        (_, "UserLevelAction" | "UserLevelPolicy") => g(|c| c.null()),
        (_, "AuthenticationDetails") => verdict_col(|c, v| c.str(v.auth)),
        (_, "AttachmentCount") => msg_col(|c, m| c.uint(u64::from(m.attachments))),
        (_, "UrlCount") => msg_col(|c, m| c.uint(u64::from(m.urls))),
        (_, "EmailLanguage") => msg_col(|c, m| c.str(m.language())),
        (_, "EmailSize") => msg_col(|c, m| c.uint(u64::from(m.size))),
        (_, "IsFirstContact") => {
            msg_col(|c, m| c.bool(m.key.is_multiple_of(7) || m.kind != MailKind::Clean))
        }
        (_, "To") => msg_col(|c, m| {
            let address = c.w.recipient_address(&m);
            c.raw("[");
            c.str(&address);
            c.raw("]");
        }),
        (_, "Cc") => msg_col(|c, m| {
            c.raw("[");
            if m.key.is_multiple_of(4) {
                let w = c.w;
                let cc = w.persons.start + (m.key >> 9) as usize % w.persons.len();
                c.opt(w.users[cc].upn.as_deref());
            }
            c.raw("]");
        }),
        (
            _,
            "Connectors"
            | "ExchangeTransportRule"
            | "ForwardingInformation"
            | "DistributionList"
            | "Context"
            | "ThreatClassification"
            | "LatestDeliveryLocation"
            | "LatestDeliveryAction"
            | "Topics"
            | "AdditionalFields",
        ) => g(|c| c.null()),
        (_, "ReportId") => msg_col(move |c, m| {
            let tenant = c.w.tenant_number;
            let id = match kind {
                T::EmailEvents => format!("{}-{tenant}-1", m.network_message_id()),
                T::EmailPostDeliveryEvents => {
                    format!("{}-{}", m.network_message_id(), tenant + c.ev.seq)
                }
                _ => format!("{}-{tenant}-{}", m.network_message_id(), c.ev.seq + 1),
            };
            c.str(&id);
        }),
        // EmailAttachmentInfo
        (_, "FileName") => msg_col(|c, m| {
            let (name, _) = c.w.attachment(&m, c.ev.spec);
            c.str(name);
        }),
        (_, "FileType") => msg_col(|c, m| {
            let (name, _) = c.w.attachment(&m, c.ev.spec);
            c.str(name.rsplit('.').next().unwrap_or("bin"));
        }),
        (_, "SHA256") => msg_col(|c, m| {
            let (_, key) = c.w.attachment(&m, c.ev.spec);
            c.hash(key, 64);
        }),
        (_, "FileSize") => msg_col(|c, m| {
            let (_, key) = c.w.attachment(&m, c.ev.spec);
            c.uint(20_000 + key % 3_000_000);
        }),
        // EmailUrlInfo
        (_, "Url") => msg_col(|c, m| {
            let w = c.w;
            c.str(&w.urls[w.message_url(&m, c.ev.spec) as usize].url);
        }),
        (_, "UrlDomain") => msg_col(|c, m| {
            let w = c.w;
            c.str(&w.urls[w.message_url(&m, c.ev.spec) as usize].domain);
        }),
        (_, "UrlLocation") => lit(&[
            (Some("Body"), 12),
            (Some("Attachment"), 1),
            (Some("QRCode"), 1),
        ]),
        (_, "UrlChainId") => g(|c| c.null()),
        (_, "UrlChainPosition") => raw(&[("null", 3), ("0", 1)]),
        // EmailPostDeliveryEvents
        (_, "Action") => {
            msg_col(|c, m| c.str(POST_DELIVERY[m.kind as usize][c.ev.spec as usize].0))
        }
        (_, "ActionTrigger") => {
            msg_col(|c, m| c.str(POST_DELIVERY[m.kind as usize][c.ev.spec as usize].2))
        }
        (_, "ActionResult") => lit(&[(Some("Success"), 30), (Some("Error"), 1)]),
        (_, "SourceLocation") => g(|c| c.null()),
        _ => return None,
    })
}

pub(super) fn url_click_column(name: &str) -> Option<Gen> {
    Some(match name {
        "Url" => msg_col(|c, m| {
            let w = c.w;
            c.str(&w.urls[w.message_url(&m, c.ev.spec) as usize].url);
        }),
        "Workload" => lit(&[(Some("Email"), 8), (Some("Teams"), 1), (Some("Office"), 1)]),
        "NetworkMessageId" => msg_col(|c, m| c.str(&m.network_message_id())),
        "ThreatTypes" => msg_col(|c, m| {
            let bad = c.w.urls[c.w.message_url(&m, c.ev.spec) as usize].bad;
            if bad { c.str("Phish") } else { c.empty() }
        }),
        "DetectionMethods" => msg_col(|c, m| {
            let bad = c.w.urls[c.w.message_url(&m, c.ev.spec) as usize].bad;
            if bad {
                c.str(r#"{"Phish":["URL detonation reputation"]}"#)
            } else {
                c.null()
            }
        }),
        "IPAddress" => g(|c| {
            let ip = c.geo_ip();
            c.str(&ip);
        }),
        "IsClickedThrough" => g(|c| {
            let v = c.ev.flag;
            c.bool(v);
        }),
        "UrlChain" => msg_col(|c, m| {
            let w = c.w;
            let url = &w.urls[w.message_url(&m, c.ev.spec) as usize].url;
            if c.chance(0.3) {
                c.null();
            } else {
                c.stringified(|c| {
                    c.raw("[");
                    c.str(url);
                    c.raw("]");
                });
            }
        }),
        "ReportId" => g(|c| c.unique_guid()),
        "AppName" => lit(&[(Some("Outlook"), 8), (Some("Teams"), 1), (Some("Word"), 1)]),
        "AppVersion" => lit(&[
            (Some("16.0.18025.20160"), 6),
            (Some("16.0.17928.20216"), 3),
            (None, 1),
        ]),
        "SourceId" | "SourceSystem" => nothing(),
        "TenantId" => g(|c| {
            let w = c.w;
            c.str(&w.tenant);
        }),
        "Type" => text("UrlClickEvents"),
        "TimeGenerated" => g(|c| {
            let t = c.ev.ts + c.rng.random_range(NANOS..120 * NANOS);
            c.time(t, ENVELOPE_TIME);
        }),
        _ => return None,
    })
}
