//! The `huntvault` command: parses arguments, calls the library, prints.
//! Exit codes are listed in the README and in `--help`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use huntvault::alerts::config::{AlertsConfig, AlertsSettings};
use huntvault::alerts::{self, PullOptions, PullSummary};
use huntvault::discover::Window;
use huntvault::generate::{self, GenerateOptions};
use huntvault::index::pipeline::{self, IndexOptions, RunSummary};
use huntvault::index::rebuild::{self, RebuildOptions};
use huntvault::index::{Archive, DEFAULT_INDEX_DIR, INDEX_ENV, deadletter};
use huntvault::ops::watch::{self, Stopper};
use huntvault::ops::{prune, status, verify};
use huntvault::query::export::{self, Destination};
use huntvault::query::output::{self, Format};
use huntvault::query::search::{self, SearchRequest, SortSpec};
use huntvault::query::{aggregate, kql};
use huntvault::schema::Catalog;
use huntvault::source::Source;
use huntvault::source::auth::{
    CA_FILE_ENV, FileConfig, StorageConfig, StorageFlags, load_config_file,
};
use huntvault::source::azure::AzureSource;
use huntvault::source::local::LocalSource;
use huntvault::{Error, demo, timefmt};

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  error (I/O, index)
  2  bad usage or bad query
  3  the index is locked by another huntvault process, or was rebuilt while
     the command was starting (run it again)
  4  no index at --index
  5  the source (or the alerts API) could not be read
  6  access denied by the storage account (credentials, role or SAS permissions),
     the token endpoint or the alerts API
  7  a container or blob is not there
  8  the storage endpoint (or the alerts API) cannot be reached
  9  the SAS token has expired
  10 the run finished, but some blobs could not be read completely
  11 verify found blobs whose source, checkpoint and index disagree";

#[derive(Parser)]
#[command(name = "huntvault", version, about = "Index Microsoft Defender XDR Advanced Hunting exports into a lossless, searchable archive", after_help = EXIT_CODES)]
struct Cli {
    /// Index directory.
    #[arg(long, global = true, env = INDEX_ENV, default_value = DEFAULT_INDEX_DIR)]
    index: PathBuf,
    /// Directory of schema files (default: the schema built into huntvault).
    #[arg(long, global = true, env = "HUNTVAULT_SCHEMA")]
    schema: Option<PathBuf>,
    /// Extra certificate authorities (PEM file) to trust for https: a
    /// TLS-inspecting proxy's, a private cloud's.
    #[arg(long, global = true, env = CA_FILE_ENV)]
    ca_file: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Index an export: new blobs, and the new complete lines of grown ones.
    Index(IndexArgs),
    /// Search the index with a query string (`*` matches everything).
    Search(SearchArgs),
    /// Write a synthetic export in the storage-account layout.
    Generate(GenerateArgs),
    /// Generate an export, index it and run example searches.
    Demo(DemoArgs),
    /// Print the dead-letter log: lines that could not be indexed.
    Deadletter(DeadletterArgs),
    /// Run a hunting query (a subset of KQL) over the index.
    Hunt(HuntArgs),
    /// Write the original records matching a query, byte for byte.
    Export(ExportArgs),
    /// Defender alerts: `alerts pull` stores them in the index.
    Alerts(AlertsArgs),
    /// Reconcile the index with the source, blob by blob (exit 11 when any differs).
    Verify(VerifyArgs),
    /// Per table: documents, newest event, lag, bytes, duplicates, bad lines,
    /// open blobs; and the last runs.
    Status(StatusArgs),
    /// Remove the partitions of hours before a date, their documents and
    /// progress, and reclaim the space.
    Prune(PruneArgs),
    /// Rebuild the index from the original records it keeps, with the
    /// fields of the current schema; progress and dead letters carry over.
    Reindex(ReindexArgs),
}

#[derive(Args)]
struct Narrow {
    /// Only these tables (comma-separated, any case).
    #[arg(long, value_delimiter = ',')]
    tables: Vec<String>,
    /// Start of the window: a date, date-time, or span back from now (`7d`, `36h`).
    #[arg(long)]
    since: Option<String>,
    /// End of the window (exclusive), same forms as --since.
    #[arg(long)]
    until: Option<String>,
}

impl Narrow {
    fn window(&self) -> anyhow::Result<Window> {
        let now = jiff::Timestamp::now();
        let parse = |s: &Option<String>, flag: &str| -> anyhow::Result<Option<jiff::Timestamp>> {
            s.as_deref()
                .map(|v| {
                    timefmt::parse_user_time(v, now).ok_or_else(|| {
                        usage(format!(
                            "--{flag} {v:?} is not a time: write 2026-01-31, 2026-01-31T10:00:00Z, or a span like 7d, 36h"
                        ))
                    })
                })
                .transpose()
        };
        Ok(Window {
            since: parse(&self.since, "since")?,
            until: parse(&self.until, "until")?,
        })
    }
}

/// Where the Azure Storage account is and how to authenticate to it. Flags
/// win over the environment (AZURE_STORAGE_CONNECTION_STRING,
/// AZURE_STORAGE_ACCOUNT, AZURE_STORAGE_KEY, AZURE_STORAGE_SAS_TOKEN,
/// AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET), which wins over
/// the config file.
#[derive(Args)]
struct AzureArgs {
    /// Storage connection string (`UseDevelopmentStorage=true`, `AccountKey=`, `SharedAccessSignature=` forms).
    #[arg(long, conflicts_with = "source")]
    connection_string: Option<String>,
    /// Storage account name.
    #[arg(long, conflicts_with = "source")]
    account: Option<String>,
    /// Storage account key (prefer AZURE_STORAGE_KEY or the config file: flags show in `ps`).
    #[arg(long, conflicts_with = "source")]
    account_key: Option<String>,
    /// SAS token (read and list permissions).
    #[arg(long, conflicts_with = "source")]
    sas_token: Option<String>,
    /// Blob service endpoint, e.g. https://ACCOUNT.blob.core.windows.net.
    #[arg(long, conflicts_with = "source")]
    blob_endpoint: Option<String>,
    /// key, sas, connection-string, client-secret, managed-identity,
    /// workload-identity, azure-cli, default (default: from what is given;
    /// with no credential at all, the Entra ID default chain).
    #[arg(long, conflicts_with = "source")]
    auth_mode: Option<String>,
    /// Config file with a [storage] table (default: ./huntvault.toml when present).
    #[arg(long, env = "HUNTVAULT_CONFIG")]
    config: Option<PathBuf>,
}

/// Log filter when HUNTVAULT_LOG is not set: warnings, except the TLS
/// verifier's, whose failures the error message itself explains.
const DEFAULT_LOG: &str = "warn,rustls_platform_verifier=off";
impl AzureArgs {
    /// Whether any storage account setting was given on the command line.
    fn named(&self) -> bool {
        self.connection_string.is_some()
            || self.account.is_some()
            || self.blob_endpoint.is_some()
            || self.sas_token.is_some()
            || self.config.is_some()
    }
}

/// The source a command reads: a local directory, else the storage account,
/// with the default number of blobs read at once for it.
fn open_source(
    local: Option<&std::path::Path>,
    azure: AzureArgs,
    ca_file: Option<PathBuf>,
) -> anyhow::Result<(Arc<dyn Source>, usize)> {
    Ok(match local {
        Some(local) => (Arc::new(LocalSource::new(local)?), 8),
        None => (Arc::new(azure.source(ca_file)?), 32),
    })
}

/// The config file read when --config is not given and it exists.
const DEFAULT_CONFIG: &str = "huntvault.toml";

/// The config file: the one named, else `./huntvault.toml` when present.
fn config_file(path: Option<&std::path::Path>) -> anyhow::Result<Option<FileConfig>> {
    Ok(match path {
        Some(p) => Some(load_config_file(p)?),
        None if std::path::Path::new(DEFAULT_CONFIG).exists() => {
            Some(load_config_file(std::path::Path::new(DEFAULT_CONFIG))?)
        }
        None => None,
    })
}

impl AzureArgs {
    /// The Azure source these settings name (the resolver refuses settings
    /// that name no account).
    fn source(self, ca_file: Option<PathBuf>) -> anyhow::Result<AzureSource> {
        let file = config_file(self.config.as_deref())?;
        let env = |name: &str| std::env::var(name).ok();
        let flags = StorageFlags {
            connection_string: self.connection_string,
            account: self.account,
            account_key: self.account_key,
            sas_token: self.sas_token,
            blob_endpoint: self.blob_endpoint,
            auth_mode: self.auth_mode,
            ca_file,
        };
        let config = StorageConfig::resolve(flags, &env, file.as_ref())?;
        Ok(AzureSource::new(&config)?)
    }
}

#[derive(Args)]
struct IndexArgs {
    /// Local directory laid out like the storage account (instead of an Azure account).
    #[arg(long)]
    source: Option<PathBuf>,
    #[command(flatten)]
    azure: AzureArgs,
    #[command(flatten)]
    narrow: Narrow,
    /// Blobs read at once (default: 8 from a local directory, 32 from a
    /// storage account, where more requests in flight hide their latency).
    #[arg(long)]
    concurrency: Option<usize>,
    /// Decode and indexing threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Indexing memory budget in MiB.
    #[arg(long, default_value_t = 256)]
    memory_mb: usize,
    /// No progress bar and no summary line.
    #[arg(long, short)]
    quiet: bool,
    /// Print the run summary as JSON on standard output.
    #[arg(long)]
    json_summary: bool,
    /// Seal blobs unchanged for this long, and past partitions quiet for this
    /// long: later runs neither list nor read them (`6h`, `2d`, `30m`).
    #[arg(long, default_value = "6h")]
    seal_after: String,
    /// Run for ever: a pass on every tick of --interval; SIGINT or SIGTERM
    /// commits what was read and exits cleanly.
    #[arg(long)]
    watch: bool,
    /// Time between passes with --watch (ticks fall on its multiples: `1h` runs on the hour).
    #[arg(long, default_value = "1h", requires = "watch")]
    interval: String,
    /// Commit after this many bytes read (for tests of crash safety).
    #[arg(long, hide = true)]
    commit_bytes: Option<u64>,
}

#[derive(Args)]
struct VerifyArgs {
    /// Local directory laid out like the storage account (instead of an Azure account).
    #[arg(long)]
    source: Option<PathBuf>,
    #[command(flatten)]
    azure: AzureArgs,
    /// Only these tables (comma-separated, any case).
    #[arg(long, value_delimiter = ',')]
    tables: Vec<String>,
    /// Blobs read at once.
    #[arg(long)]
    concurrency: Option<usize>,
    /// Output format: table or json.
    #[arg(long, default_value = "table")]
    format: String,
}

#[derive(Args)]
#[command(group = clap::ArgGroup::new("cutoff").required(true))]
struct PruneArgs {
    /// Remove partitions of hours before this date or date-time.
    #[arg(long, group = "cutoff")]
    before: Option<String>,
    /// Remove partitions older than this span (`400d`).
    #[arg(long, group = "cutoff")]
    older_than: Option<String>,
    /// Output format: table or json.
    #[arg(long, default_value = "table")]
    format: String,
}

#[derive(Args)]
struct ReindexArgs {
    /// Decode and indexing threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Indexing memory budget in MiB.
    #[arg(long, default_value_t = 256)]
    memory_mb: usize,
    /// Output format: table or json.
    #[arg(long, default_value = "table")]
    format: String,
}

#[derive(Args)]
struct StatusArgs {
    /// Also list this local export's open partitions for the lag and bytes pending.
    #[arg(long)]
    source: Option<PathBuf>,
    #[command(flatten)]
    azure: AzureArgs,
    /// Runs to show from the history.
    #[arg(long, default_value_t = 10)]
    runs: usize,
    /// Output format: table or json.
    #[arg(long, default_value = "table")]
    format: String,
}

/// Which stored records a command reads: tables and an event-time window.
#[derive(Args)]
struct RecordFilter {
    /// Only these tables (repeatable or comma-separated).
    #[arg(long = "table", value_delimiter = ',')]
    tables: Vec<String>,
    /// Event time from (inclusive): a date, date-time, or span back from now (`7d`).
    #[arg(long)]
    since: Option<String>,
    /// Event time until (exclusive).
    #[arg(long)]
    until: Option<String>,
}

impl RecordFilter {
    fn window(&self) -> anyhow::Result<Window> {
        Narrow {
            tables: Vec::new(),
            since: self.since.clone(),
            until: self.until.clone(),
        }
        .window()
    }
}

#[derive(Args)]
struct SearchArgs {
    /// The query (`*` or empty: everything).
    #[arg(default_value = "*")]
    query: String,
    #[command(flatten)]
    records: RecordFilter,
    /// Columns to show (comma-separated; dotted paths reach into dynamic columns).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Most results to print.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Sort by a field: `field[:asc|desc]` (default: newest first).
    #[arg(long)]
    sort: Option<String>,
    /// Print only the number of matching documents.
    #[arg(long)]
    count: bool,
    /// Count the matching documents by a column's values (most frequent
    /// first, --limit values).
    #[arg(long, value_name = "FIELD", conflicts_with = "count")]
    count_by: Option<String>,
    /// Output format: table, json (one object per line), csv, raw (original lines).
    #[arg(long, default_value = "table")]
    format: String,
}

#[derive(Args)]
struct GenerateArgs {
    /// Output directory (laid out like the storage account).
    #[arg(long)]
    out: PathBuf,
    /// Approximate size: 64MiB, 1GiB, 500MB ...
    #[arg(long, default_value = "64MiB")]
    size: String,
    /// Hours the export spans.
    #[arg(long, default_value_t = 24)]
    hours: u32,
    /// First hour (UTC).
    #[arg(long, default_value = "2026-01-01T00:00:00Z")]
    start: String,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Only these tables (comma-separated).
    #[arg(long, value_delimiter = ',')]
    tables: Vec<String>,
    /// Share of lines that are Azure-style duplicate deliveries.
    #[arg(long, default_value_t = 0.03)]
    duplicates: f64,
    /// Print the full report (per blob) as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct DemoArgs {
    /// Where to write the generated export.
    #[arg(long, default_value = "demo-export")]
    export: PathBuf,
    /// Size of the generated export.
    #[arg(long, default_value = "32MiB")]
    size: String,
}

#[derive(Args)]
struct DeadletterArgs {
    /// Most entries to print (newest last).
    #[arg(long, default_value_t = 100)]
    limit: usize,
}

#[derive(Args)]
struct HuntArgs {
    /// The query (default: from --file, else standard input).
    query: Option<String>,
    /// Read the query from a file.
    #[arg(short = 'f', long = "file", conflicts_with = "query")]
    file: Option<PathBuf>,
    /// The instant now() and ago() count from (RFC 3339; default: the current time).
    #[arg(long, env = kql::NOW_ENV)]
    now: Option<String>,
    /// Output format: table, json (one object per line), csv, raw (original
    /// lines; only when the query keeps whole records).
    #[arg(long, default_value = "table")]
    format: String,
    /// Print how the query ran (index filter, where rows came from, documents read) on standard error.
    #[arg(long)]
    explain: bool,
}

#[derive(Args)]
struct ExportArgs {
    /// Search query string selecting the records (`*`: all).
    #[arg(default_value = "*")]
    query: String,
    /// A KQL predicate the records must also satisfy (`FileName =~ "cmd.exe"`).
    #[arg(long = "where")]
    where_kql: Option<String>,
    #[command(flatten)]
    records: RecordFilter,
    /// Write to this file (one stream) or, with --layout, this directory
    /// (default: standard output).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Write one file per blob the records came from, laid out like the storage account.
    #[arg(long, requires = "out")]
    layout: bool,
    /// The instant now() and ago() in --where count from (RFC 3339).
    #[arg(long, env = kql::NOW_ENV)]
    now: Option<String>,
}

#[derive(Args)]
struct AlertsArgs {
    #[command(subcommand)]
    command: AlertsCommand,
}

#[derive(Subcommand)]
enum AlertsCommand {
    /// Pull new and updated alerts into the index (tables GraphAlerts, SiemAlerts).
    Pull(PullArgs),
}

/// What to pull, from where, as which app registration. Flags win over the
/// environment (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET,
/// AZURE_AUTHORITY_HOST), which wins over the [alerts] table of the config file.
#[derive(Args)]
struct PullArgs {
    /// graph (Microsoft Graph security/alerts_v2, the default) or siem (the
    /// Defender SIEM alerts API).
    #[arg(long)]
    api: Option<String>,
    /// SIEM API region: eu, us or uk.
    #[arg(long)]
    region: Option<String>,
    /// URL of the alert list (default: the API's public endpoint).
    #[arg(long)]
    endpoint: Option<String>,
    /// Microsoft Entra ID authority host (default: https://login.microsoftonline.com).
    #[arg(long)]
    authority_host: Option<String>,
    /// Token scope (default: the API's).
    #[arg(long)]
    scope: Option<String>,
    /// Tenant (directory) id of the app registration.
    #[arg(long)]
    tenant_id: Option<String>,
    /// Client (application) id of the app registration.
    #[arg(long)]
    client_id: Option<String>,
    /// Client secret (prefer AZURE_CLIENT_SECRET or the config file: flags show in `ps`).
    #[arg(long)]
    client_secret: Option<String>,
    /// Config file with an [alerts] table (default: ./huntvault.toml when present).
    #[arg(long, env = "HUNTVAULT_CONFIG")]
    config: Option<PathBuf>,
    /// Alerts changed since (default: where the last pull ended, less 5 minutes):
    /// a date, date-time, or span back from now (`7d`).
    #[arg(long)]
    since: Option<String>,
    /// Alerts changed before this time.
    #[arg(long)]
    until: Option<String>,
    /// SIEM: alerts of the last span (`10m`, `2h`; sent as an ISO 8601 duration).
    #[arg(long, conflicts_with = "since")]
    ago: Option<String>,
    /// SIEM: at most this many alerts, the most recent.
    #[arg(long)]
    limit: Option<u32>,
    /// SIEM: only this machine group (repeatable).
    #[arg(long = "machine-group")]
    machine_groups: Vec<String>,
    /// SIEM: only machines with this tag from the registry (DeviceCreatedMachineTags).
    #[arg(long)]
    device_tag: Option<String>,
    /// SIEM: only machines with this tag from the portal (CloudCreatedMachineTags).
    #[arg(long)]
    cloud_tag: Option<String>,
    /// Graph: alerts per page ($top).
    #[arg(long)]
    top: Option<u32>,
    /// Keep pulling, every --interval.
    #[arg(long)]
    watch: bool,
    /// Time between pulls with --watch (`15m`, `1h`).
    #[arg(long, default_value = "15m")]
    interval: String,
    /// No summary line.
    #[arg(long, short)]
    quiet: bool,
    /// Print each pull's summary as JSON on standard output.
    #[arg(long)]
    json_summary: bool,
}

/// Exit code of a run that finished with blobs it could not read completely.
const EXIT_PARTIAL: u8 = 10;
/// Exit code of a `verify` that found differences.
const EXIT_DIFFERS: u8 = 11;

fn usage(msg: String) -> anyhow::Error {
    anyhow::Error::new(Error::Usage(msg))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("HUNTVAULT_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(DEFAULT_LOG)),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            let code = e
                .chain()
                .find_map(|c| c.downcast_ref::<Error>())
                .map_or(1, Error::exit_code);
            ExitCode::from(code as u8)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let catalog = || Catalog::load(cli.schema.as_deref()).context("loading the schema");
    match cli.command {
        Command::Index(args) => index(&cli.index, &catalog()?, cli.ca_file, args),
        Command::Search(args) => search_cmd(&cli.index, &catalog()?, args),
        Command::Generate(args) => generate_cmd(&catalog()?, args),
        Command::Demo(args) => {
            let size = generate::parse_size(&args.size)
                .ok_or_else(|| usage(format!("--size {:?} is not a size", args.size)))?;
            let report =
                runtime()?.block_on(demo::run(&catalog()?, &args.export, &cli.index, size))?;
            print!("{report}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Hunt(args) => hunt_cmd(&cli.index, &catalog()?, args),
        Command::Export(args) => export_cmd(&cli.index, &catalog()?, args),
        Command::Deadletter(args) => {
            let archive = Archive::open(&cli.index)?;
            let committed = archive.index.load_metas()?.opstamp;
            let entries = deadletter::read(&archive.dir, committed)?;
            let mut out = std::io::stdout().lock();
            for e in entries
                .iter()
                .skip(entries.len().saturating_sub(args.limit))
            {
                json_line(&mut out, e)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Alerts(args) => {
            let AlertsCommand::Pull(pull) = args.command;
            alerts_pull(&cli.index, &catalog()?, cli.ca_file, pull)
        }
        Command::Verify(args) => verify_cmd(&cli.index, &catalog()?, cli.ca_file, args),
        Command::Status(args) => status_cmd(&cli.index, &catalog()?, cli.ca_file, args),
        Command::Prune(args) => prune_cmd(&cli.index, args),
        Command::Reindex(args) => reindex_cmd(&cli.index, &catalog()?, args),
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

fn index(
    dir: &std::path::Path,
    catalog: &Catalog,
    ca_file: Option<PathBuf>,
    args: IndexArgs,
) -> anyhow::Result<ExitCode> {
    let (source, concurrency) = open_source(args.source.as_deref(), args.azure, ca_file)?;
    let seal_after = timefmt::parse_span(&args.seal_after).ok_or_else(|| {
        usage(format!(
            "--seal-after {:?} is not a span: write 6h, 2d, 30m",
            args.seal_after
        ))
    })?;
    let archive = Archive::open_or_create(dir, catalog)
        .with_context(|| format!("opening the index at {}", dir.display()))?;
    let changes = archive.fields.changes_for(catalog)?;
    let untyped = [changes.added, changes.retyped].concat();
    if !untyped.is_empty() && !args.quiet {
        eprintln!(
            "note: the schema gives {} columns a field of a kind this index does not have ({}): \
             their values are indexed as keyword and text until `huntvault reindex` rebuilds it",
            untyped.len(),
            untyped.join(", ")
        );
    }
    let mut opts = IndexOptions {
        tables: args.narrow.tables.clone(),
        window: args.narrow.window()?,
        concurrency: args.concurrency.unwrap_or(concurrency),
        memory_budget: args.memory_mb << 20,
        progress: !args.quiet && !args.json_summary && std::io::stderr().is_terminal(),
        ..IndexOptions::default()
    };
    if let Some(t) = args.threads {
        opts.threads = t;
    }
    if let Some(b) = args.commit_bytes {
        opts.commit_bytes = b;
    }
    opts.seal_after = seal_after;
    let rt = runtime()?;
    let stopper = rt.block_on(async { Stopper::on_signals() })?;
    opts.stop = Some(stopper.flag());
    let print = |summary: &RunSummary| -> anyhow::Result<()> {
        if args.json_summary {
            let mut out = std::io::stdout().lock();
            json_line(&mut out, summary)?;
            out.flush()?;
        } else if !args.quiet {
            eprintln!("{}", summary_line(summary, dir));
        }
        for e in &summary.errors {
            eprintln!("error: {e}");
        }
        Ok(())
    };
    if args.watch {
        let interval = timefmt::parse_span(&args.interval)
            .and_then(|d| d.try_into().ok())
            .ok_or_else(|| {
                usage(format!(
                    "--interval {:?} is not a span: write 1h, 30m",
                    args.interval
                ))
            })?;
        let report = |pass: huntvault::Result<RunSummary>| {
            let printed = match pass {
                Ok(summary) => print(&summary),
                Err(e) => Err(e.into()),
            };
            if let Err(e) = printed {
                eprintln!("error: {e:#}");
            }
        };
        rt.block_on(watch::watch(
            archive, catalog, source, &opts, interval, &stopper, report,
        ))?;
        return Ok(ExitCode::SUCCESS);
    }
    let summary = rt.block_on(pipeline::run(&archive, catalog, source, &opts))?;
    print(&summary)?;
    Ok(if summary.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_PARTIAL)
    })
}

fn summary_line(s: &RunSummary, dir: &std::path::Path) -> String {
    let mb = s.bytes_read as f64 / 1e6;
    let mut line = format!(
        "indexed {} documents from {} of {} blobs ({mb:.1} MB, {:.1} MB/s) in {:.1}s: \
         {} duplicates skipped, {} bad lines, {} blobs unchanged",
        s.docs_added,
        s.blobs_read,
        s.blobs_listed,
        mb / s.elapsed_secs.max(1e-3),
        s.elapsed_secs,
        s.duplicates,
        s.bad_lines,
        s.blobs_unchanged,
    );
    if s.blobs_replaced > 0 {
        line.push_str(&format!(
            ", {} replaced blobs re-indexed ({} old documents removed)",
            s.blobs_replaced, s.docs_deleted
        ));
    }
    if s.bad_lines > 0 {
        line.push_str(&format!(
            "\nbad lines are kept in {} (`huntvault deadletter`)",
            deadletter::path(dir).display()
        ));
    }
    line
}

fn search_cmd(
    dir: &std::path::Path,
    catalog: &Catalog,
    args: SearchArgs,
) -> anyhow::Result<ExitCode> {
    let format = Format::parse(&args.format)?;
    let window = args.records.window()?;
    let archive = Archive::open(dir)?;
    let req = SearchRequest {
        query: args.query,
        tables: args.records.tables,
        since: window.since,
        until: window.until,
        limit: args.limit,
        sort: args.sort.as_deref().map(SortSpec::parse).transpose()?,
        count_only: args.count,
    };
    let mut out = std::io::stdout().lock();
    if let Some(column) = &args.count_by {
        let counts = aggregate::count_by(&archive, catalog, &req, column, args.limit)
            .map_err(|e| point_at(e, &req.query))?;
        match format {
            Format::Json => {
                for b in &counts.buckets {
                    serde_json::to_writer(
                        &mut out,
                        &serde_json::json!({ &counts.field: b.value, "count": b.count }),
                    )?;
                    writeln!(out)?;
                }
            }
            _ => {
                for b in &counts.buckets {
                    writeln!(out, "{:>10}  {}", b.count, b.value)?;
                }
                if counts.other > 0 {
                    writeln!(out, "{:>10}  (other values)", counts.other)?;
                }
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let result = search::search(&archive, catalog, &req).map_err(|e| point_at(e, &req.query))?;
    if args.count {
        writeln!(out, "{}", result.total)?;
    } else {
        output::write_hits(&mut out, &result.hits, format, &args.select)?;
        if format == Format::Table && std::io::stdout().is_terminal() {
            writeln!(
                out,
                "({} of {} matching documents)",
                result.hits.len(),
                result.total
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A query error with the query shown and a caret under the place it names.
fn point_at(e: Error, query: &str) -> Error {
    let Error::Query {
        message,
        position: Some(pos),
    } = e
    else {
        return e;
    };
    let pos = pos.min(query.len());
    let line_start = query[..pos].rfind('\n').map_or(0, |i| i + 1);
    let line_end = query[line_start..]
        .find('\n')
        .map_or(query.len(), |i| line_start + i);
    let column = query[line_start..pos].chars().count();
    Error::Query {
        message: format!(
            "{message}\n  {}\n  {}^",
            &query[line_start..line_end],
            " ".repeat(column)
        ),
        position: Some(pos),
    }
}

/// `--now`, or the current time.
fn now_arg(now: Option<&str>) -> anyhow::Result<jiff::Timestamp> {
    match now {
        None => Ok(jiff::Timestamp::now()),
        Some(text) => timefmt::parse_user_time(text, jiff::Timestamp::now()).ok_or_else(|| {
            usage(format!(
                "--now {text:?} is not a time: write 2026-01-31T10:00:00Z (or set {} to one)",
                kql::NOW_ENV
            ))
        }),
    }
}

fn hunt_cmd(dir: &std::path::Path, catalog: &Catalog, args: HuntArgs) -> anyhow::Result<ExitCode> {
    let format = Format::parse(&args.format)?;
    let text = match (args.query, &args.file) {
        (Some(q), _) => q,
        (None, Some(path)) => std::fs::read_to_string(path)
            .with_context(|| format!("reading the query from {}", path.display()))?,
        (None, None) => {
            let mut q = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut q)
                .context("reading the query from standard input")?;
            q
        }
    };
    let now = now_arg(args.now.as_deref())?;
    let archive = Archive::open(dir)?;
    let result = kql::hunt(&archive, catalog, &text, now).map_err(|e| point_at(e, &text))?;
    if args.explain {
        eprintln!("{}", result.plan);
    }
    let mut out = std::io::stdout().lock();
    if result.rows.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    if result.records() {
        let hits: Vec<search::Hit> = result
            .rows
            .iter()
            .filter_map(|r| r.raw.as_deref().cloned())
            .collect();
        output::write_hits(&mut out, &hits, format, &[])?;
    } else if format == Format::Raw {
        return Err(usage(
            "--format raw writes original records, but this query reshapes them (project, extend, summarize, …): use table, json or csv".into(),
        ));
    } else {
        let rows: Vec<Vec<serde_json::Value>> = result
            .rows
            .iter()
            .map(|r| {
                result
                    .columns
                    .iter()
                    .map(|c| r.get(c).map_or(serde_json::Value::Null, |v| v.to_json()))
                    .collect()
            })
            .collect();
        output::write_rows(&mut out, &result.columns, &rows, format)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn export_cmd(
    dir: &std::path::Path,
    catalog: &Catalog,
    args: ExportArgs,
) -> anyhow::Result<ExitCode> {
    let window = args.records.window()?;
    let now = now_arg(args.now.as_deref())?;
    let archive = Archive::open(dir)?;
    let req = SearchRequest {
        query: args.query,
        tables: args.records.tables,
        since: window.since,
        until: window.until,
        limit: 0,
        sort: None,
        count_only: false,
    };
    let where_kql = args.where_kql.as_deref();
    if let Some(w) = where_kql {
        kql::parser::parse_expr(w).map_err(|e| point_at(e, w))?;
    }
    let point = |e: Error| point_at(e, &req.query);
    let summary = match (&args.out, args.layout) {
        (Some(path), true) => export::export(
            &archive,
            catalog,
            &req,
            where_kql,
            now,
            Destination::Layout(path.clone()),
        ),
        (Some(path), false) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("creating {}", path.display()))?;
            let mut w = std::io::BufWriter::new(file);
            let s = export::export(
                &archive,
                catalog,
                &req,
                where_kql,
                now,
                Destination::Stream(&mut w),
            );
            w.flush()
                .with_context(|| format!("writing {}", path.display()))?;
            s
        }
        (None, _) => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let s = export::export(
                &archive,
                catalog,
                &req,
                where_kql,
                now,
                Destination::Stream(&mut out),
            );
            out.flush().context("writing standard output")?;
            s
        }
    }
    .map_err(point)?;
    eprintln!(
        "exported {} records ({:.1} MB) into {} file(s)",
        summary.records,
        summary.bytes as f64 / 1e6,
        summary.blobs
    );
    Ok(ExitCode::SUCCESS)
}

fn generate_cmd(catalog: &Catalog, args: GenerateArgs) -> anyhow::Result<ExitCode> {
    let size = generate::parse_size(&args.size).ok_or_else(|| {
        usage(format!(
            "--size {:?} is not a size (try 64MiB, 1GiB)",
            args.size
        ))
    })?;
    let start = timefmt::parse_user_time(&args.start, jiff::Timestamp::now())
        .ok_or_else(|| usage(format!("--start {:?} is not a time", args.start)))?;
    let opts = GenerateOptions {
        out: args.out,
        size_bytes: size,
        start,
        hours: args.hours,
        seed: args.seed,
        tables: (!args.tables.is_empty()).then_some(args.tables),
        duplicate_rate: args.duplicates,
        ..GenerateOptions::default()
    };
    let report = generate::generate(catalog, &opts)?;
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        println!(
            "wrote {} lines ({} records, {} duplicate deliveries) in {} blobs, {:.1} MB, to {}",
            report.lines,
            report.records,
            report.duplicates,
            report.blobs.len(),
            report.bytes as f64 / 1e6,
            opts.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn alerts_pull(
    dir: &std::path::Path,
    catalog: &Catalog,
    ca_file: Option<PathBuf>,
    args: PullArgs,
) -> anyhow::Result<ExitCode> {
    let file = config_file(args.config.as_deref())?;
    let env = |name: &str| std::env::var(name).ok();
    let flags = AlertsSettings {
        api: args.api,
        region: args.region,
        endpoint: args.endpoint,
        authority_host: args.authority_host,
        scope: args.scope,
        tenant_id: args.tenant_id,
        client_id: args.client_id,
        client_secret: args.client_secret,
        ca_file: ca_file.map(|p| p.to_string_lossy().into_owned()),
    };
    let config = AlertsConfig::resolve(flags, &env, file.as_ref())?;
    let window = Narrow {
        tables: Vec::new(),
        since: args.since,
        until: args.until,
    }
    .window()?;
    let span = |flag: &str, text: &str| {
        timefmt::parse_span(text)
            .filter(|s| s.is_positive())
            .ok_or_else(|| {
                usage(format!(
                    "--{flag} {text:?} is not a span: write 10m, 2h, 7d"
                ))
            })
    };
    let mut opts = PullOptions {
        since: window.since,
        until: window.until,
        ago: args.ago.as_deref().map(|a| span("ago", a)).transpose()?,
        limit: args.limit,
        machine_groups: args.machine_groups,
        device_tag: args.device_tag,
        cloud_tag: args.cloud_tag,
        top: args.top,
    };
    opts.check(config.api)?;
    let interval = span("interval", &args.interval)?.unsigned_abs();
    let http = huntvault::http::client(config.ca_file.as_deref())?;
    let mut archive = Archive::open_or_create(dir, catalog)
        .with_context(|| format!("opening the index at {}", dir.display()))?;
    let rt = runtime()?;
    loop {
        let pulled = archive.refresh().and_then(|()| {
            rt.block_on(alerts::pull(
                &archive,
                catalog,
                &config,
                http.clone(),
                &opts,
            ))
        });
        match pulled {
            Ok(summary) if args.json_summary => println!("{}", serde_json::to_string(&summary)?),
            Ok(summary) if !args.quiet => eprintln!("{}", pull_line(&summary)),
            Ok(_) => {}
            Err(e) if args.watch && alerts::transient(&e) => eprintln!("error: {e}"),
            Err(e) => return Err(e.into()),
        }
        if !args.watch {
            return Ok(ExitCode::SUCCESS);
        }
        // After the first pull, the cursor says where to go on.
        opts.since = None;
        opts.ago = None;
        std::thread::sleep(interval);
    }
}

fn pull_line(s: &PullSummary) -> String {
    let bad = if s.bad > 0 {
        format!(
            "; {} elements that are not alerts kept in the dead-letter log (`huntvault deadletter`)",
            s.bad
        )
    } else {
        String::new()
    };
    format!(
        "pulled {} alerts from the {} API (tenant {}) in {} requests, {:.1}s: {} new, {} updated, \
         {} unchanged; next pull from {}",
        s.received,
        s.api,
        s.tenant,
        s.requests,
        s.elapsed_secs,
        s.added,
        s.updated,
        s.unchanged,
        s.cursor.as_deref().unwrap_or("the API's default window"),
    ) + &bad
}

/// Only `table` and `json` apply to verify and status.
fn report_format(format: &str) -> anyhow::Result<bool> {
    match format {
        "table" => Ok(false),
        "json" => Ok(true),
        other => Err(usage(format!("--format {other:?}: use table or json"))),
    }
}

fn verify_cmd(
    dir: &std::path::Path,
    catalog: &Catalog,
    ca_file: Option<PathBuf>,
    args: VerifyArgs,
) -> anyhow::Result<ExitCode> {
    let json = report_format(&args.format)?;
    let (source, concurrency) = open_source(args.source.as_deref(), args.azure, ca_file)?;
    let archive = Archive::open(dir)?;
    let report = runtime()?.block_on(verify::verify(
        &archive,
        catalog,
        source,
        &args.tables,
        args.concurrency.unwrap_or(concurrency),
    ))?;
    let mut out = std::io::stdout().lock();
    if json {
        json_line(&mut out, &report)?;
    } else {
        for u in &report.differences {
            writeln!(out, "DIFFERS {}: {}", u.key, u.problems.join("; "))?;
        }
        writeln!(
            out,
            "verified {} blobs and sealed folders ({} source lines, {} documents, {} blobs gone from the source): {} differ",
            report.checked,
            report.source_lines,
            report.index_docs,
            report.gone_from_source,
            report.differences.len()
        )?;
    }
    Ok(if report.differences.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_DIFFERS)
    })
}

fn status_cmd(
    dir: &std::path::Path,
    catalog: &Catalog,
    ca_file: Option<PathBuf>,
    args: StatusArgs,
) -> anyhow::Result<ExitCode> {
    let json = report_format(&args.format)?;
    let source = match (&args.source, args.azure.named()) {
        (None, false) => None,
        _ => Some(open_source(args.source.as_deref(), args.azure, ca_file)?.0),
    };
    let archive = Archive::open(dir)?;
    let st = runtime()?.block_on(status::status(
        &archive,
        catalog,
        source.as_deref(),
        args.runs,
    ))?;
    let mut out = std::io::stdout().lock();
    if json {
        json_line(&mut out, &st)?;
        return Ok(ExitCode::SUCCESS);
    }
    let time = |t: Option<jiff::Timestamp>| t.map_or("-".to_string(), |t| t.to_string());
    let opt = |n: Option<i64>| n.map_or("-".to_string(), |n| n.to_string());
    writeln!(
        out,
        "{:<32} {:>10} {:<28} {:>8} {:>12} {:>12} {:>9} {:>6} {:>6} {:>8}",
        "TABLE",
        "DOCS",
        "NEWEST EVENT",
        "LAG S",
        "BYTES READ",
        "PENDING",
        "DUPS",
        "BAD",
        "OPEN",
        "SEALED"
    )?;
    for t in &st.tables {
        writeln!(
            out,
            "{:<32} {:>10} {:<28} {:>8} {:>12} {:>12} {:>9} {:>6} {:>6} {:>8}",
            t.table,
            t.docs,
            time(t.newest_event),
            opt(t.lag_secs),
            t.bytes_read,
            opt(t.pending_bytes.map(|b| b as i64)),
            t.duplicates,
            t.bad_lines,
            t.open_blobs,
            t.sealed_blobs
        )?;
    }
    writeln!(out, "\nlast runs:")?;
    for r in &st.runs {
        writeln!(
            out,
            "{}  {:>8.1}s  {:<7}  {} docs, {} duplicates, {} bad lines, {} bytes{}",
            r.start,
            r.duration_secs,
            r.result,
            r.docs_added,
            r.duplicates,
            r.bad_lines,
            r.bytes_read,
            r.error
                .as_deref()
                .map_or(String::new(), |e| format!("  error: {e}"))
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn prune_cmd(dir: &std::path::Path, args: PruneArgs) -> anyhow::Result<ExitCode> {
    let json = report_format(&args.format)?;
    let now = jiff::Timestamp::now();
    let cutoff = match (&args.before, &args.older_than) {
        (Some(date), _) => timefmt::parse_user_time(date, now).ok_or_else(|| {
            usage(format!(
                "--before {date:?} is not a date: write 2025-01-01 or 2025-01-01T00:00:00Z"
            ))
        })?,
        (None, Some(span)) => timefmt::parse_span(span)
            .and_then(|d| now.checked_sub(d).ok())
            .ok_or_else(|| usage(format!("--older-than {span:?} is not a span: write 400d")))?,
        (None, None) => return Err(usage("give --before DATE or --older-than SPAN".into())),
    };
    let archive = Archive::open(dir)?;
    let report = prune::prune(&archive, cutoff)?;
    let mut out = std::io::stdout().lock();
    if json {
        json_line(&mut out, &report)?;
    } else {
        table_counts(&mut out, &report.tables)?;
        writeln!(
            out,
            "removed {} documents from {} blobs and {} sealed folders of hours before {}; index {:.1} MB -> {:.1} MB",
            report.documents,
            report.blobs,
            report.sealed_folders,
            report.cutoff,
            report.bytes_before as f64 / 1e6,
            report.bytes_after as f64 / 1e6
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn reindex_cmd(
    dir: &std::path::Path,
    catalog: &Catalog,
    args: ReindexArgs,
) -> anyhow::Result<ExitCode> {
    let json = report_format(&args.format)?;
    let opts = RebuildOptions {
        threads: args
            .threads
            .unwrap_or_else(|| IndexOptions::default().threads),
        memory_budget: args.memory_mb << 20,
        progress: !json && std::io::stderr().is_terminal(),
    };
    let report = rebuild::rebuild(dir, catalog, &opts)
        .with_context(|| format!("rebuilding the index at {}", dir.display()))?;
    let mut out = std::io::stdout().lock();
    if json {
        json_line(&mut out, &report)?;
        return Ok(ExitCode::SUCCESS);
    }
    table_counts(&mut out, &report.tables)?;
    for (what, list) in [
        ("new typed columns", &report.columns_added),
        ("columns retyped", &report.columns_retyped),
        ("columns now only in _kw/_txt", &report.columns_removed),
    ] {
        if !list.is_empty() {
            writeln!(out, "{what}: {}", list.join(", "))?;
        }
    }
    writeln!(
        out,
        "rebuilt {} documents (format {} -> {}) in {:.1}s; {} dead letters and the checkpoint carried over; \
         index {:.1} MB -> {:.1} MB",
        report.documents,
        report.format_before,
        report.format_after,
        report.elapsed_secs,
        report.dead_letters,
        report.bytes_before as f64 / 1e6,
        report.bytes_after as f64 / 1e6
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Writes one value as a line of JSON.
fn json_line(out: &mut impl Write, value: &impl serde::Serialize) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

/// Writes documents per table, one table a line.
fn table_counts(
    out: &mut impl Write,
    tables: &std::collections::BTreeMap<String, u64>,
) -> anyhow::Result<()> {
    for (table, docs) in tables {
        writeln!(out, "{docs:>10}  {table}")?;
    }
    Ok(())
}
