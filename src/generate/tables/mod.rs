//! The tables this generator knows: which table is which (`TableKind`), each
//! table's timing and weight, the columns real records carry beyond the
//! schema, where numeric `ReportId`s start, and the dispatch to each table's
//! scenario and own column builders.

mod alerts;
mod cloud_apps;
mod device_activity;
mod device_inventory;
mod email;
mod identity;

use self::alerts::{alert_column, alert_evidence_event, alert_info_event};
use self::cloud_apps::{cloud_app_event, cloud_column};
use self::device_activity::{
    device_activity_column, device_event, file_event, generic_event, image_load_event, logon_event,
    network_event, process_event, registry_event,
};
use self::device_inventory::{
    adapter_column, adapter_event, certificate_column, certificate_event, device_info_column,
    inventory_event,
};
use self::email::{
    attachment_event, email_column, email_event, email_url_event, post_delivery_event,
    url_click_column, url_click_event,
};
use self::identity::{
    identity_column, identity_directory_event, identity_logon_event, identity_query_event,
};
use super::columns::Gen;
use super::records::Ctx;
use super::{Profile, Received, TICKS_AT_UNIX_EPOCH};

/// The tables this module knows how to fill; others get generic values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TableKind {
    DeviceProcessEvents,
    DeviceNetworkEvents,
    DeviceFileEvents,
    DeviceEvents,
    DeviceRegistryEvents,
    DeviceImageLoadEvents,
    DeviceLogonEvents,
    DeviceInfo,
    DeviceNetworkInfo,
    DeviceFileCertificateInfo,
    EmailEvents,
    EmailAttachmentInfo,
    EmailUrlInfo,
    EmailPostDeliveryEvents,
    UrlClickEvents,
    IdentityLogonEvents,
    IdentityQueryEvents,
    IdentityDirectoryEvents,
    CloudAppEvents,
    AlertInfo,
    AlertEvidence,
    Other,
}

impl TableKind {
    pub(super) fn of(table: &str) -> Self {
        use TableKind as T;
        match table {
            "DeviceProcessEvents" => T::DeviceProcessEvents,
            "DeviceNetworkEvents" => T::DeviceNetworkEvents,
            "DeviceFileEvents" => T::DeviceFileEvents,
            "DeviceEvents" => T::DeviceEvents,
            "DeviceRegistryEvents" => T::DeviceRegistryEvents,
            "DeviceImageLoadEvents" => T::DeviceImageLoadEvents,
            "DeviceLogonEvents" => T::DeviceLogonEvents,
            "DeviceInfo" => T::DeviceInfo,
            "DeviceNetworkInfo" => T::DeviceNetworkInfo,
            "DeviceFileCertificateInfo" => T::DeviceFileCertificateInfo,
            "EmailEvents" => T::EmailEvents,
            "EmailAttachmentInfo" => T::EmailAttachmentInfo,
            "EmailUrlInfo" => T::EmailUrlInfo,
            "EmailPostDeliveryEvents" => T::EmailPostDeliveryEvents,
            "UrlClickEvents" => T::UrlClickEvents,
            "IdentityLogonEvents" => T::IdentityLogonEvents,
            "IdentityQueryEvents" => T::IdentityQueryEvents,
            "IdentityDirectoryEvents" => T::IdentityDirectoryEvents,
            "CloudAppEvents" => T::CloudAppEvents,
            "AlertInfo" => T::AlertInfo,
            "AlertEvidence" => T::AlertEvidence,
            _ => T::Other,
        }
    }

    pub(super) fn profile(self) -> Profile {
        use TableKind as T;
        const DEVICE: (f64, f64) = (1.0, 300.0);
        const INVENTORY: (f64, f64) = (5.0, 900.0);
        const EMAIL: (f64, f64) = (20.0, 240.0);
        let between = Received::Between;
        let email = Received::Timestamp { zulu: false };
        let (weight, digits, lag, late, received) = match self {
            T::DeviceProcessEvents => (20.0, 6, DEVICE, 0.01, between),
            T::DeviceNetworkEvents => (18.0, 7, DEVICE, 0.01, between),
            T::DeviceFileEvents => (14.0, 7, DEVICE, 0.01, between),
            T::DeviceEvents => (12.0, 7, DEVICE, 0.01, between),
            T::DeviceRegistryEvents => (8.0, 7, DEVICE, 0.01, between),
            T::DeviceImageLoadEvents => (7.0, 7, DEVICE, 0.01, between),
            T::DeviceLogonEvents => (4.0, 7, DEVICE, 0.01, between),
            T::DeviceInfo => (1.5, 7, INVENTORY, 0.0, between),
            T::DeviceNetworkInfo => (1.5, 7, INVENTORY, 0.0, between),
            T::DeviceFileCertificateInfo => (1.5, 7, INVENTORY, 0.0, between),
            T::EmailEvents => (2.5, 0, EMAIL, 0.0, email),
            T::EmailAttachmentInfo => (0.8, 0, EMAIL, 0.0, email),
            T::EmailUrlInfo => (1.2, 0, EMAIL, 0.0, email),
            T::EmailPostDeliveryEvents => (0.3, 0, EMAIL, 0.0, email),
            T::UrlClickEvents => (0.6, 7, (10.0, 200.0), 0.0, between),
            T::IdentityLogonEvents => (1.2, 3, (5.0, 600.0), 0.0, between),
            T::IdentityQueryEvents => (0.8, 3, (5.0, 600.0), 0.0, between),
            T::IdentityDirectoryEvents => (0.4, 3, (5.0, 600.0), 0.0, between),
            T::CloudAppEvents => (
                3.0,
                3,
                (30.0, 1_800.0),
                0.02,
                Received::Timestamp { zulu: true },
            ),
            T::AlertInfo => (0.25, 6, (60.0, 1_800.0), 0.3, between),
            T::AlertEvidence => (0.6, 6, (60.0, 1_800.0), 0.3, between),
            T::Other => (1.0, 7, DEVICE, 0.01, between),
        };
        Profile {
            weight,
            digits,
            lag,
            late,
            received,
        }
    }

    /// Columns real records carry that no schema file lists (quirks D.11).
    pub(super) fn extra_columns(self) -> &'static [&'static str] {
        use TableKind as T;
        match self {
            T::DeviceProcessEvents
            | T::DeviceNetworkEvents
            | T::DeviceFileEvents
            | T::DeviceEvents
            | T::DeviceRegistryEvents
            | T::DeviceImageLoadEvents
            | T::DeviceLogonEvents
            | T::DeviceNetworkInfo
            | T::DeviceFileCertificateInfo
            | T::AlertInfo => &["MachineGroup"],
            _ => &[],
        }
    }

    /// First numeric `ReportId`: small counters, or .NET ticks (beyond 2^53,
    /// quirks D.6) on the inventory tables.
    pub(super) fn report_base(self, start: i64, salt: u64) -> u64 {
        match self {
            TableKind::DeviceInfo | TableKind::DeviceNetworkInfo => {
                (start / 100 + TICKS_AT_UNIX_EPOCH) as u64 + salt % 1_000_000_000
            }
            _ => 1_000 + salt % 60_000,
        }
    }

    /// Picks the entities of the next record.
    pub(super) fn scenario(self) -> fn(&mut Ctx<'_>) {
        use TableKind as T;
        match self {
            T::DeviceProcessEvents => process_event,
            T::DeviceNetworkEvents => network_event,
            T::DeviceFileEvents => file_event,
            T::DeviceEvents => device_event,
            T::DeviceRegistryEvents => registry_event,
            T::DeviceImageLoadEvents => image_load_event,
            T::DeviceLogonEvents => logon_event,
            T::DeviceInfo => inventory_event,
            T::DeviceNetworkInfo => adapter_event,
            T::DeviceFileCertificateInfo => certificate_event,
            T::EmailEvents => email_event,
            T::EmailAttachmentInfo => attachment_event,
            T::EmailUrlInfo => email_url_event,
            T::EmailPostDeliveryEvents => post_delivery_event,
            T::UrlClickEvents => url_click_event,
            T::IdentityLogonEvents => identity_logon_event,
            T::IdentityQueryEvents => identity_query_event,
            T::IdentityDirectoryEvents => identity_directory_event,
            T::CloudAppEvents => cloud_app_event,
            T::AlertInfo => alert_info_event,
            T::AlertEvidence => alert_evidence_event,
            T::Other => generic_event,
        }
    }

    /// The table's own column builders (before the shared ones).
    pub(super) fn columns(self, name: &str) -> Option<Gen> {
        use TableKind as T;
        match self {
            T::DeviceProcessEvents
            | T::DeviceNetworkEvents
            | T::DeviceFileEvents
            | T::DeviceEvents
            | T::DeviceRegistryEvents
            | T::DeviceImageLoadEvents
            | T::DeviceLogonEvents => device_activity_column(self, name),
            T::DeviceInfo => device_info_column(name),
            T::DeviceNetworkInfo => adapter_column(name),
            T::DeviceFileCertificateInfo => certificate_column(name),
            T::EmailEvents
            | T::EmailAttachmentInfo
            | T::EmailUrlInfo
            | T::EmailPostDeliveryEvents => email_column(self, name),
            T::UrlClickEvents => url_click_column(name),
            T::IdentityLogonEvents | T::IdentityQueryEvents | T::IdentityDirectoryEvents => {
                identity_column(self, name)
            }
            T::CloudAppEvents => cloud_column(name),
            T::AlertInfo | T::AlertEvidence => alert_column(self, name),
            T::Other => None,
        }
    }
}
