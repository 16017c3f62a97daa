//! Envelope framing of export lines: the key orders and key sets an Azure
//! envelope comes in (quirks B.2), one line written around a record's
//! `properties`, and the ring of recent records that Azure re-delivers.

use std::collections::VecDeque;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::text::{ENVELOPE_TIME, TimeStyle, push_time};

/// Recent records a table can re-deliver.
const DUP_RING: usize = 32;
/// Azure writes a record at most four times (quirks A.6).
pub(super) const MAX_REDELIVERIES: u8 = 3;

#[derive(Debug, Clone, Copy)]
enum Part {
    Time,
    TenantId,
    Operation,
    Category,
    Received,
    Properties,
    Tenant,
}

/// Key order and key set of an envelope (quirks B.2).
pub(super) struct Shape {
    order: [Part; 7],
    received: bool,
    tenant: bool,
}

const USUAL: [Part; 7] = [
    Part::Time,
    Part::TenantId,
    Part::Operation,
    Part::Category,
    Part::Received,
    Part::Properties,
    Part::Tenant,
];
const SORTED: [Part; 7] = [
    Part::Tenant,
    Part::Received,
    Part::Category,
    Part::Operation,
    Part::Properties,
    Part::TenantId,
    Part::Time,
];

pub(super) const SHAPES: &[(Shape, u16)] = &[
    (
        Shape {
            order: USUAL,
            received: true,
            tenant: true,
        },
        88,
    ),
    (
        Shape {
            order: USUAL,
            received: true,
            tenant: false,
        },
        5,
    ),
    (
        Shape {
            order: USUAL,
            received: false,
            tenant: true,
        },
        3,
    ),
    (
        Shape {
            order: USUAL,
            received: false,
            tenant: false,
        },
        2,
    ),
    (
        Shape {
            order: SORTED,
            received: true,
            tenant: true,
        },
        2,
    ),
];

/// The per-table constant parts of an envelope, JSON-encoded.
pub(super) struct Envelope {
    pub(super) category: String,
    pub(super) tenant: String,
    pub(super) received: TimeStyle,
}

impl Envelope {
    pub(super) fn write(
        &self,
        line: &mut String,
        shape: &Shape,
        time: i64,
        received: i64,
        props: &str,
    ) {
        line.clear();
        line.push('{');
        for part in shape.order {
            match part {
                Part::Received if !shape.received => continue,
                Part::Tenant if !shape.tenant => continue,
                _ if line.len() > 1 => line.push(','),
                _ => {}
            }
            match part {
                Part::Time => {
                    line.push_str("\"time\":\"");
                    push_time(line, time, ENVELOPE_TIME);
                    line.push('"');
                }
                Part::TenantId => {
                    line.push_str("\"tenantId\":");
                    line.push_str(&self.tenant);
                }
                Part::Operation => line.push_str("\"operationName\":\"Publish\""),
                Part::Category => {
                    line.push_str("\"category\":");
                    line.push_str(&self.category);
                }
                Part::Received => {
                    line.push_str("\"_TimeReceivedBySvc\":\"");
                    push_time(line, received, self.received);
                    line.push('"');
                }
                Part::Properties => {
                    line.push_str("\"properties\":");
                    line.push_str(props);
                }
                Part::Tenant => line.push_str("\"Tenant\":\"DefaultTenant\""),
            }
        }
        line.push_str("}\r\n");
    }
}

/// A record kept for re-delivery.
#[derive(Default)]
pub(super) struct Kept {
    pub(super) props: String,
    pub(super) time: i64,
    pub(super) received: i64,
    hour: u32,
    pub(super) copies: u8,
}

/// The last few records of a table, which Azure may write again.
#[derive(Default)]
pub(super) struct DupRing {
    items: VecDeque<Kept>,
}

impl DupRing {
    pub(super) fn keep(&mut self, props: &str, time: i64, received: i64, hour: u32) {
        let mut slot = if self.items.len() >= DUP_RING {
            self.items.pop_front().unwrap_or_default()
        } else {
            Kept::default()
        };
        slot.props.clear();
        slot.props.push_str(props);
        slot.time = time;
        slot.received = received;
        slot.hour = hour;
        slot.copies = 0;
        self.items.push_back(slot);
    }

    pub(super) fn forget_before(&mut self, hour: u32) {
        while self.items.front().is_some_and(|k| k.hour < hour) {
            self.items.pop_front();
        }
    }

    /// A recent record (the more recent, the likelier) that may be written again.
    pub(super) fn pick(&mut self, rng: &mut ChaCha8Rng) -> Option<&mut Kept> {
        let n = self.items.len();
        if n == 0 {
            return None;
        }
        let age = rng.random_range(0..n).min(rng.random_range(0..n));
        let kept = &mut self.items[n - 1 - age];
        (kept.copies < MAX_REDELIVERIES).then_some(kept)
    }
}
