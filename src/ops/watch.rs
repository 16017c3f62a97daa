//! Running `index` as a service: a pass, then sleep until the next tick
//! (multiples of the interval since the Unix epoch, so an hourly watch runs
//! on the hour), for ever. SIGINT or SIGTERM stops it cleanly: a pass in
//! progress starts no further blob, commits what it read, and the watch
//! returns; a sleeping watch returns at once.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::watch;

use crate::error::{Error, Result};
use crate::index::Archive;
use crate::index::pipeline::{self, IndexOptions, RunSummary};
use crate::schema::Catalog;
use crate::source::Source;

/// Set once SIGINT or SIGTERM arrives.
#[derive(Clone)]
pub struct Stopper {
    flag: Arc<AtomicBool>,
    rx: watch::Receiver<bool>,
}

impl Stopper {
    /// Listens for SIGINT and SIGTERM (call inside the runtime).
    pub fn on_signals() -> Result<Self> {
        let (tx, rx) = watch::channel(false);
        let flag = Arc::new(AtomicBool::new(false));
        #[cfg(unix)]
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .map_err(|e| Error::Index(format!("listening for SIGTERM: {e}")))?;
        let set = flag.clone();
        tokio::spawn(async move {
            #[cfg(unix)]
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            #[cfg(not(unix))]
            let _ = tokio::signal::ctrl_c().await;
            set.store(true, Ordering::SeqCst);
            let _ = tx.send(true);
        });
        Ok(Stopper { flag, rx })
    }

    /// The flag the indexing pipeline polls.
    pub fn flag(&self) -> Arc<AtomicBool> {
        self.flag.clone()
    }

    pub fn stopped(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    /// Sleeps for `d`; false when a signal cut the sleep short.
    async fn sleep(&mut self, d: Duration) -> bool {
        tokio::select! {
            _ = tokio::time::sleep(d) => true,
            _ = self.rx.wait_for(|s| *s) => false,
        }
    }
}

/// Time from `now` (Unix milliseconds) to the next multiple of `interval`.
fn until_next_tick(now_ms: u128, interval: Duration) -> Duration {
    let step = interval.as_millis().max(1);
    let next = (now_ms / step + 1) * step;
    Duration::from_millis((next - now_ms) as u64)
}

/// Indexes `source` on every tick until stopped, handing each pass's
/// outcome to `report` (a failed pass is reported and the next tick tried).
pub async fn watch(
    mut archive: Archive,
    catalog: &Catalog,
    source: Arc<dyn Source>,
    opts: &IndexOptions,
    interval: Duration,
    stopper: &Stopper,
    mut report: impl FnMut(Result<RunSummary>),
) -> Result<()> {
    if interval.is_zero() {
        return Err(Error::Usage("--interval must be longer than zero".into()));
    }
    let mut stopper = stopper.clone();
    let mut opts = opts.clone();
    opts.stop = Some(stopper.flag());
    loop {
        match archive.refresh() {
            Ok(()) => report(pipeline::run(&archive, catalog, source.clone(), &opts).await),
            Err(e) => report(Err(e)),
        }
        if stopper.stopped() {
            return Ok(());
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis();
        if !stopper.sleep(until_next_tick(now, interval)).await {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_fall_on_multiples_of_the_interval() {
        let hour = Duration::from_secs(3600);
        let ms = 3_600_000u128;
        assert_eq!(
            until_next_tick(10 * ms + 1, hour),
            hour - Duration::from_millis(1)
        );
        assert_eq!(until_next_tick(10 * ms, hour), hour);
        assert_eq!(
            until_next_tick(10 * ms + 3_000_000, hour),
            Duration::from_secs(600)
        );
    }
}
