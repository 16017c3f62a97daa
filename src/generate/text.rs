//! Text primitives: timestamps in the export's styles, decimal and hex
//! digits, JSON string escaping, hashes and GUIDs, written into reused
//! `String` buffers.

use jiff::tz::Offset;

use super::random::mix64;
use super::{NANOS, timestamp};

/// How a timestamp is written: fractional digits (0-7), trailing zeros
/// dropped or not, `Z` or no offset.
#[derive(Debug, Clone, Copy)]
pub(super) struct TimeStyle {
    pub(super) digits: u8,
    pub(super) trim: bool,
    pub(super) zulu: bool,
}

impl TimeStyle {
    pub(super) const fn z(digits: u8) -> Self {
        TimeStyle {
            digits,
            trim: false,
            zulu: true,
        }
    }

    /// The smallest step the style can show, in nanoseconds.
    pub(super) const fn unit(self) -> i64 {
        10i64.pow(9 - self.digits as u32)
    }
}

/// `time`: 7 digits and `Z`.
pub(super) const ENVELOPE_TIME: TimeStyle = TimeStyle::z(7);
/// Some derived columns: up to 6 digits, trailing zeros dropped (quirks C.1).
pub(super) const TRIMMED_TIME: TimeStyle = TimeStyle {
    digits: 6,
    trim: true,
    zulu: true,
};

pub(super) fn push_time(out: &mut String, nanos: i64, style: TimeStyle) {
    let dt = Offset::UTC.to_datetime(timestamp(nanos));
    push_padded(out, dt.year() as u64, 4);
    out.push('-');
    push_padded(out, dt.month() as u64, 2);
    out.push('-');
    push_padded(out, dt.day() as u64, 2);
    out.push('T');
    push_padded(out, dt.hour() as u64, 2);
    out.push(':');
    push_padded(out, dt.minute() as u64, 2);
    out.push(':');
    push_padded(out, dt.second() as u64, 2);
    let mut digits = usize::from(style.digits);
    let mut fraction = nanos.rem_euclid(NANOS) as u64 / 10u64.pow(9 - u32::from(style.digits));
    if style.trim {
        while digits > 0 && fraction.is_multiple_of(10) {
            fraction /= 10;
            digits -= 1;
        }
    }
    if digits > 0 {
        out.push('.');
        push_padded(out, fraction, digits);
    }
    if style.zulu {
        out.push('Z');
    }
}

/// Writes the `width` lowest decimal digits of `v`, zero-padded.
pub(super) fn push_padded(out: &mut String, mut v: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let start = buf.len() - width.min(20);
    for b in buf[start..].iter_mut().rev() {
        *b = b'0' + (v % 10) as u8;
        v /= 10;
    }
    out.push_str(std::str::from_utf8(&buf[start..]).unwrap_or_default());
}

pub(super) fn push_u64(out: &mut String, v: u64) {
    let digits = v.checked_ilog10().map_or(1, |d| d as usize + 1);
    push_padded(out, v, digits);
}

pub(super) fn push_i64(out: &mut String, v: i64) {
    if v < 0 {
        out.push('-');
    }
    push_u64(out, v.unsigned_abs());
}

/// JSON-escapes `s` (without quotes). With `ascii`, non-ASCII characters are
/// written as `\uXXXX` escapes (quirks D.12), else raw.
pub(super) fn push_escaped(out: &mut String, s: &str, ascii: bool) {
    if ascii && !s.is_ascii() {
        for ch in s.chars() {
            match ch {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if c.is_ascii() && c >= ' ' => out.push(c),
                c => {
                    for unit in c.encode_utf16(&mut [0; 2]) {
                        push_unicode_escape(out, *unit);
                    }
                }
            }
        }
        return;
    }
    let mut start = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        out.push_str(&s[start..i]);
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            _ => push_unicode_escape(out, u16::from(b)),
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

fn push_unicode_escape(out: &mut String, unit: u16) {
    out.push_str("\\u");
    push_hex(out, u64::from(unit), 4, false);
}

pub(super) fn push_json_str(out: &mut String, s: &str, ascii: bool) {
    out.push('"');
    push_escaped(out, s, ascii);
    out.push('"');
}

pub(super) fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_json_str(&mut out, s, false);
    out
}

/// Writes the `digits` lowest hex digits of `v` (at most 16).
pub(super) fn push_hex(out: &mut String, v: u64, digits: usize, upper: bool) {
    let alphabet = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    for i in (0..digits.min(16)).rev() {
        out.push(char::from(alphabet[((v >> (i * 4)) & 0xf) as usize]));
    }
}

/// `digits` pseudo-random hex digits derived from `key` (hashes, serials).
pub(super) fn push_hash(out: &mut String, key: u64, digits: usize) {
    let mut left = digits;
    let mut block = 0u64;
    while left > 0 {
        let n = left.min(16);
        push_hex(out, mix64(key.wrapping_add(block)), n, false);
        left -= n;
        block += 1;
    }
}

pub(super) fn hash_hex(key: u64, digits: usize) -> String {
    let mut s = String::with_capacity(digits);
    push_hash(&mut s, key, digits);
    s
}

/// A version-4-looking GUID that holds all 64 bits of `hi` (so distinct `hi`
/// give distinct GUIDs) and 48-odd bits of `lo`.
pub(super) fn push_guid(out: &mut String, hi: u64, lo: u64, upper: bool) {
    push_hex(out, hi >> 32, 8, upper);
    out.push('-');
    push_hex(out, hi >> 16, 4, upper);
    out.push('-');
    push_hex(out, 0x4000 | ((hi >> 4) & 0x0fff), 4, upper);
    out.push('-');
    push_hex(
        out,
        0x8000 | ((lo >> 62) << 12) | ((hi & 0xf) << 8) | ((lo >> 48) & 0xff),
        4,
        upper,
    );
    out.push('-');
    push_hex(out, lo, 12, upper);
}

pub(super) fn guid(hi: u64, lo: u64) -> String {
    let mut s = String::with_capacity(36);
    push_guid(&mut s, hi, lo, false);
    s
}
