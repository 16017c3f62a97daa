//! Cutting a blob's byte stream into complete lines, in batches.
//!
//! Only complete lines are consumed: a line ends at `\n` (a `\r` before it is
//! dropped). At the end of what was read, an unterminated tail is consumed
//! only if it is a complete JSON object (a finished record whose line end was
//! not yet written: it ends in `}`); anything else is a partial line that waits for the next
//! run, and the batch's `end` offset stops before it.
//!
//! Memory is bounded by the batch size plus the longest line allowed: a line
//! longer than `max_line` is not held; its first bytes are kept for the
//! dead-letter log and the rest is skipped up to its end.

use std::ops::Range;

use memchr::memchr;

/// UTF-8 byte order mark, dropped at the start of a line.
const BOM: &[u8] = b"\xEF\xBB\xBF";
/// Bytes of an over-long line kept for the dead-letter log.
const TOO_LONG_HEAD: usize = 64 * 1024;

/// One line of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineRef {
    /// Offset of the line's first byte in the blob.
    pub offset: u64,
    /// The line's bytes in [`Batch::data`], without BOM and line end.
    pub range: Range<usize>,
    /// Length of the whole line when it was longer than allowed (only its
    /// first bytes are in `range`).
    pub too_long: Option<u64>,
}

/// Complete lines read from one blob.
#[derive(Debug, Default)]
pub struct Batch {
    pub data: Vec<u8>,
    pub lines: Vec<LineRef>,
    /// Blob offset just past the last consumed byte.
    pub end: u64,
}

impl Batch {
    pub fn line(&self, l: &LineRef) -> &[u8] {
        &self.data[l.range.clone()]
    }
}

/// Accumulates a blob's bytes and hands out batches of complete lines.
pub struct Splitter {
    /// Pending bytes: complete lines not yet handed out, then a partial line.
    data: Vec<u8>,
    /// Blob offset of `data[0]`.
    base: u64,
    /// Start (in `data`) of the line being read.
    line_start: usize,
    lines: Vec<LineRef>,
    batch_bytes: usize,
    max_line: usize,
    /// While skipping an over-long line: its offset, kept head and length so far.
    skipping: Option<(u64, Vec<u8>, u64)>,
}

impl Splitter {
    pub fn new(start: u64, batch_bytes: usize, max_line: usize) -> Self {
        Splitter {
            data: Vec::with_capacity(batch_bytes.min(8 << 20) + 4096),
            base: start,
            line_start: 0,
            lines: Vec::new(),
            batch_bytes,
            max_line,
            skipping: None,
        }
    }

    /// Feeds the next bytes; returns the batches that filled up.
    pub fn push(&mut self, mut chunk: &[u8]) -> Vec<Batch> {
        let mut out = Vec::new();
        while !chunk.is_empty() {
            if let Some((offset, head, len)) = &mut self.skipping {
                match memchr(b'\n', chunk) {
                    Some(i) => {
                        *len += i as u64 + 1;
                        let (offset, head, len) = (*offset, std::mem::take(head), *len);
                        self.skipping = None;
                        let start = self.data.len();
                        self.data.extend_from_slice(&head);
                        self.lines.push(LineRef {
                            offset,
                            range: start..self.data.len(),
                            too_long: Some(len),
                        });
                        self.base = offset + len - self.data.len() as u64;
                        self.line_start = self.data.len();
                        chunk = &chunk[i + 1..];
                    }
                    None => {
                        *len += chunk.len() as u64;
                        chunk = &[];
                    }
                }
                continue;
            }
            let scan_from = self.data.len();
            self.data.extend_from_slice(chunk);
            chunk = &[];
            let mut pos = scan_from;
            while let Some(i) = memchr(b'\n', &self.data[pos..]) {
                let nl = pos + i;
                self.end_line(nl);
                pos = nl + 1;
            }
            let partial = self.data.len() - self.line_start;
            if partial > self.max_line {
                let offset = self.base + self.line_start as u64;
                let head = self.data[self.line_start..self.line_start + TOO_LONG_HEAD.min(partial)]
                    .to_vec();
                self.data.truncate(self.line_start);
                self.skipping = Some((offset, head, partial as u64));
            }
            if self.line_start >= self.batch_bytes {
                out.push(self.take_batch());
            }
        }
        out
    }

    /// Records the line ending at `nl` (the index of its `\n`).
    fn end_line(&mut self, nl: usize) {
        let mut start = self.line_start;
        let mut end = nl;
        if end > start && self.data[end - 1] == b'\r' {
            end -= 1;
        }
        if self.data[start..end].starts_with(BOM) {
            start += BOM.len();
        }
        self.lines.push(LineRef {
            offset: self.base + self.line_start as u64,
            range: start..end,
            too_long: None,
        });
        self.line_start = nl + 1;
    }

    /// Hands out the complete lines gathered so far, keeping the partial line.
    fn take_batch(&mut self) -> Batch {
        let rest = self.data.split_off(self.line_start);
        let data = std::mem::replace(&mut self.data, rest);
        let end = self.base + self.line_start as u64;
        self.base = end;
        self.line_start = 0;
        Batch {
            data,
            lines: std::mem::take(&mut self.lines),
            end,
        }
    }

    /// Ends the stream: the last batch (possibly empty), with the tail
    /// consumed only if it is a complete JSON object.
    pub fn finish(mut self) -> Batch {
        if self.skipping.is_none() && self.line_start < self.data.len() {
            let tail = &self.data[self.line_start..];
            let trimmed = tail.strip_prefix(BOM).unwrap_or(tail);
            if trimmed.first() == Some(&b'{')
                && trimmed.last() == Some(&b'}')
                && serde_json::from_slice::<serde::de::IgnoredAny>(trimmed).is_ok()
            {
                let nl = self.data.len();
                self.data.push(b'\n');
                self.end_line(nl);
                self.data.pop();
                self.line_start = self.data.len();
            }
        }
        self.take_batch()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (offset, bytes, over-long length) of each line.
    type Lines = Vec<(u64, Vec<u8>, Option<u64>)>;

    fn split(input: &[u8], chunk: usize, max_line: usize) -> (Lines, u64) {
        let mut s = Splitter::new(100, 16, max_line);
        let mut batches = Vec::new();
        for c in input.chunks(chunk) {
            batches.extend(s.push(c));
        }
        batches.push(s.finish());
        let end = batches.last().map(|b| b.end).unwrap_or(0);
        let lines = batches
            .iter()
            .flat_map(|b| {
                b.lines
                    .iter()
                    .map(|l| (l.offset, b.line(l).to_vec(), l.too_long))
            })
            .collect();
        (lines, end)
    }

    #[test]
    fn lines_with_crlf_bom_and_partial_tail() {
        let input = b"\xEF\xBB\xBF{\"a\":1}\r\n\r\n{\"b\":2}\n{\"c\":";
        for chunk in [1, 2, 3, 7, 100] {
            let (lines, end) = split(input, chunk, 1 << 20);
            assert_eq!(
                lines,
                vec![
                    (100, b"{\"a\":1}".to_vec(), None),
                    (112, b"".to_vec(), None),
                    (114, b"{\"b\":2}".to_vec(), None),
                ],
                "chunk {chunk}"
            );
            assert_eq!(end, 122, "partial tail not consumed (chunk {chunk})");
        }
    }

    #[test]
    fn complete_json_tail_is_consumed() {
        let (lines, end) = split(b"{\"a\":1}\n{\"b\":2}", 4, 1 << 20);
        assert_eq!(lines.len(), 2);
        assert_eq!(end, 115);
        let (lines, end) = split(b"{\"a\":1}\n{\"b\":2}\r", 4, 1 << 20);
        assert_eq!(lines.len(), 1, "a tail ending in CR waits for its LF");
        assert_eq!(end, 108);
    }

    #[test]
    fn over_long_lines_are_cut_and_flagged() {
        let mut input = b"{\"a\":1}\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', 100));
        input.extend(b"\n{\"b\":2}\n");
        for chunk in [1, 5, 64] {
            let (lines, end) = split(&input, chunk, 50);
            assert_eq!(lines.len(), 3, "chunk {chunk}");
            assert_eq!(lines[1].0, 108);
            assert_eq!(lines[1].2, Some(101));
            assert!(lines[1].1.len() <= 100 && lines[1].1.iter().all(|b| *b == b'x'));
            assert_eq!(lines[2], (209, b"{\"b\":2}".to_vec(), None));
            assert_eq!(end, 217);
        }
    }
}
