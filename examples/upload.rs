//! Loads a local export into an Azure Storage account as real append blobs,
//! the way Defender XDR's Streaming API writes them: test and benchmark data
//! for Azurite (the Azure Storage emulator) or a scratch account.
//!
//! ```sh
//! cargo run --release --example upload -- --source DIR --connection-string CS [--concurrency N]
//! ```
//!
//! `DIR` is laid out like the storage account (`DIR/<container>/<blob path>`,
//! as `huntvault generate` writes it). Every top-level folder becomes a
//! container (created when missing), and every file below it an append blob of
//! the same path: created (replacing a blob of that name), then filled with
//! Append Block requests of at most 4 MiB, each cut after the last line end it
//! holds (only a line longer than 4 MiB is cut inside), each conditioned on the
//! append position so that a block can never land twice. `--concurrency`
//! blobs are uploaded at once (default 8).
//!
//! It authenticates exactly like `huntvault index`, through the library's
//! `StorageConfig` and `AzureSource`: `--connection-string`, `--account` with
//! `--account-key` or `--sas-token`, `--blob-endpoint`, `--auth-mode`, or the
//! same `AZURE_STORAGE_*` environment variables (a SAS needs create, write and
//! add permissions). It prints one line per container and a total.
//!
//! The integration tests (`tests/azure_cli.rs`) include this file as a module
//! and call [`upload_export`], so the benchmark's loader is tested too.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use azure_core::http::{RequestContent, StatusCode};
use azure_storage_blob::BlobServiceClient;
use azure_storage_blob::models::AppendBlobClientAppendBlockOptions;
use clap::Parser;
use futures::{StreamExt, TryStreamExt};
use huntvault::source::Source;
use huntvault::source::auth::{StorageConfig, StorageFlags, redact};
use huntvault::source::azure::AzureSource;
use tokio::io::AsyncReadExt;

/// The largest Append Block this loader sends (the service's limit for
/// older API versions, and what Defender's own appends stay under).
pub const MAX_BLOCK: usize = 4 << 20;

#[derive(Parser)]
#[command(about = "Upload a local export into a storage account as append blobs")]
struct Args {
    /// Local export laid out like the storage account (DIR/<container>/<blob path>).
    #[arg(long)]
    source: PathBuf,
    /// Storage connection string (AccountKey= or SharedAccessSignature= form).
    #[arg(long)]
    connection_string: Option<String>,
    /// Storage account name.
    #[arg(long)]
    account: Option<String>,
    /// Storage account key.
    #[arg(long)]
    account_key: Option<String>,
    /// SAS token (create, write and add permissions).
    #[arg(long)]
    sas_token: Option<String>,
    /// Blob service endpoint, e.g. http://127.0.0.1:10000/devstoreaccount1.
    #[arg(long)]
    blob_endpoint: Option<String>,
    /// key, sas, connection-string, ... (as `huntvault index --auth-mode`).
    #[arg(long)]
    auth_mode: Option<String>,
    /// Extra certificate authorities (PEM) to trust, as `huntvault --ca-file`.
    #[arg(long)]
    ca_file: Option<std::path::PathBuf>,
    /// Blobs uploaded at once.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
}

/// One file of the export, to become one append blob.
#[derive(Debug, Clone)]
pub struct LocalBlob {
    pub container: String,
    /// Path inside the container, `/`-separated.
    pub blob: String,
    pub path: PathBuf,
    pub size: u64,
}

/// What was uploaded.
#[derive(Debug, Clone, Default)]
pub struct Uploaded {
    /// Every blob written, with the number of Append Block requests it took.
    pub blobs: Vec<(LocalBlob, u64)>,
    pub containers: usize,
    pub bytes: u64,
    pub blocks: u64,
    pub elapsed_secs: f64,
}

/// The files of an export, sorted by container and blob path.
pub fn scan_export(dir: &Path) -> anyhow::Result<Vec<LocalBlob>> {
    fn walk(
        container: &str,
        dir: &Path,
        prefix: &str,
        out: &mut Vec<LocalBlob>,
    ) -> anyhow::Result<()> {
        for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
            let entry = entry?;
            let name = entry
                .file_name()
                .into_string()
                .map_err(|n| anyhow::anyhow!("{n:?} in {} is not UTF-8", dir.display()))?;
            let path = entry.path();
            let meta = std::fs::metadata(&path)?;
            let blob = format!("{prefix}{name}");
            if meta.is_dir() {
                walk(container, &path, &format!("{blob}/"), out)?;
            } else if meta.is_file() {
                out.push(LocalBlob {
                    container: container.to_string(),
                    blob,
                    path,
                    size: meta.len(),
                });
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry?;
        if !entry.file_type()?.is_dir() {
            continue;
        }
        let Ok(container) = entry.file_name().into_string() else {
            bail!("{:?} is not a container name", entry.file_name());
        };
        walk(&container, &entry.path(), "", &mut out)?;
    }
    out.sort_by(|a, b| (&a.container, &a.blob).cmp(&(&b.container, &b.blob)));
    Ok(out)
}

/// Where the next block ends: after the last line end within `MAX_BLOCK`
/// bytes, else at `MAX_BLOCK` (a longer line), else (the file's last bytes)
/// at the end.
pub fn block_end(pending: &[u8], at_eof: bool) -> usize {
    if pending.len() <= MAX_BLOCK && at_eof {
        return pending.len();
    }
    let window = &pending[..pending.len().min(MAX_BLOCK)];
    memchr::memrchr(b'\n', window).map_or(window.len(), |i| i + 1)
}

/// Creates `blob` as an empty append blob (replacing one of that name) and
/// appends the file to it; returns the number of blocks.
async fn upload_blob(client: &BlobServiceClient, blob: &LocalBlob) -> anyhow::Result<u64> {
    let append = client
        .blob_client(&blob.container, &blob.blob)
        .append_blob_client();
    append.create(None).await?;
    let mut file = tokio::fs::File::open(&blob.path)
        .await
        .with_context(|| format!("opening {}", blob.path.display()))?;
    let mut pending: Vec<u8> = Vec::with_capacity(MAX_BLOCK);
    let mut at_eof = false;
    let mut offset = 0u64;
    let mut blocks = 0u64;
    loop {
        while !at_eof && pending.len() < MAX_BLOCK {
            let filled = pending.len();
            pending.resize(MAX_BLOCK, 0);
            let n = file.read(&mut pending[filled..]).await?;
            pending.truncate(filled + n);
            at_eof = n == 0;
        }
        if pending.is_empty() {
            return Ok(blocks);
        }
        let rest = pending.split_off(block_end(&pending, at_eof));
        let block = std::mem::replace(&mut pending, rest);
        let len = block.len() as u64;
        let options = AppendBlobClientAppendBlockOptions {
            append_position: Some(i64::try_from(offset)?),
            ..Default::default()
        };
        append
            .append_block(RequestContent::from(block), len, Some(options))
            .await?;
        offset += len;
        blocks += 1;
    }
}

/// Uploads every file of the export at `dir` through `client`, `concurrency`
/// blobs at once.
pub async fn upload_export(
    client: &BlobServiceClient,
    dir: &Path,
    concurrency: usize,
) -> anyhow::Result<Uploaded> {
    let started = Instant::now();
    let files = scan_export(dir)?;
    let mut containers: Vec<String> = files.iter().map(|f| f.container.clone()).collect();
    containers.dedup();
    futures::stream::iter(&containers)
        .map(|c| async move {
            match client.blob_container_client(c).create(None).await {
                Ok(_) => Ok(()),
                Err(e) if e.http_status() == Some(StatusCode::Conflict) => Ok(()),
                Err(e) => Err(anyhow::Error::new(e).context(format!("creating container {c}"))),
            }
        })
        .buffer_unordered(concurrency.max(1))
        .try_collect::<Vec<()>>()
        .await?;
    let blobs: Vec<(LocalBlob, u64)> = futures::stream::iter(files)
        .map(|f| async move {
            let blocks = upload_blob(client, &f)
                .await
                .with_context(|| format!("uploading {}/{}", f.container, f.blob))?;
            anyhow::Ok((f, blocks))
        })
        .buffer_unordered(concurrency.max(1))
        .try_collect()
        .await?;
    Ok(Uploaded {
        containers: containers.len(),
        bytes: blobs.iter().map(|(f, _)| f.size).sum(),
        blocks: blobs.iter().map(|(_, b)| b).sum(),
        blobs,
        elapsed_secs: started.elapsed().as_secs_f64(),
    })
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let flags = StorageFlags {
        connection_string: args.connection_string,
        account: args.account,
        account_key: args.account_key,
        sas_token: args.sas_token,
        blob_endpoint: args.blob_endpoint,
        auth_mode: args.auth_mode,
        ca_file: args.ca_file,
    };
    let env = |name: &str| std::env::var(name).ok();
    let config = match StorageConfig::resolve(flags, &env, None) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let secrets = config.secrets();
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    let run = async {
        let source = AzureSource::new(&config)?;
        let uploaded = upload_export(source.client(), &args.source, args.concurrency).await?;
        anyhow::Ok((source.describe(), uploaded))
    };
    match run.await {
        Ok((account, up)) => {
            let mut per_container: BTreeMap<&str, (usize, u64, u64)> = BTreeMap::new();
            for (f, blocks) in &up.blobs {
                let c = per_container.entry(&f.container).or_default();
                c.0 += 1;
                c.1 += f.size;
                c.2 += blocks;
            }
            for (container, (blobs, bytes, blocks)) in per_container {
                println!(
                    "{container}: {blobs} blobs, {:.1} MB, {blocks} append blocks",
                    bytes as f64 / 1e6
                );
            }
            println!(
                "uploaded {} blobs ({:.1} MB in {} append blocks) into {} containers of {account} \
                 in {:.1}s ({:.1} MB/s)",
                up.blobs.len(),
                up.bytes as f64 / 1e6,
                up.blocks,
                up.containers,
                up.elapsed_secs,
                up.bytes as f64 / 1e6 / up.elapsed_secs.max(1e-3)
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}", redact(&format!("{e:#}"), &secrets));
            std::process::ExitCode::FAILURE
        }
    }
}
