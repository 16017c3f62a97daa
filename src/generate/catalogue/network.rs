//! Network: the remote hosts of the endpoint pool, the web sites of the URL
//! pool, and where people connect from.

use crate::generate::world::EpCat;

/// A remote host of the endpoint pool.
pub(in crate::generate) struct HostSpec {
    pub(in crate::generate) cat: EpCat,
    /// "" = reached by address only.
    pub(in crate::generate) host: &'static str,
    pub(in crate::generate) prefixes: &'static [&'static str],
    pub(in crate::generate) port: u16,
}

const fn host(
    cat: EpCat,
    host: &'static str,
    prefixes: &'static [&'static str],
    port: u16,
) -> HostSpec {
    HostSpec {
        cat,
        host,
        prefixes,
        port,
    }
}

pub(in crate::generate) const HOSTS: &[HostSpec] = &[
    host(
        EpCat::Microsoft,
        "login.microsoftonline.com",
        &["20.190.151.", "40.126.32."],
        443,
    ),
    host(
        EpCat::Microsoft,
        "winatp-gw-weu.microsoft.com",
        &["20.50.201."],
        443,
    ),
    host(
        EpCat::Microsoft,
        "eu-v20.events.data.microsoft.com",
        &["20.42.65."],
        443,
    ),
    host(
        EpCat::Microsoft,
        "settings-win.data.microsoft.com",
        &["20.44.229."],
        443,
    ),
    host(
        EpCat::Microsoft,
        "outlook.office365.com",
        &["52.97.", "40.99."],
        443,
    ),
    host(
        EpCat::Microsoft,
        "graph.microsoft.com",
        &["20.190.152."],
        443,
    ),
    host(
        EpCat::Microsoft,
        "contoso.sharepoint.com",
        &["13.107.136."],
        443,
    ),
    host(
        EpCat::Microsoft,
        "teams.microsoft.com",
        &["52.113.194."],
        443,
    ),
    host(
        EpCat::Microsoft,
        "ctldl.windowsupdate.com",
        &["93.184.221."],
        80,
    ),
    host(
        EpCat::Microsoft,
        "officeclient.microsoft.com",
        &["52.109.8."],
        443,
    ),
    host(EpCat::Microsoft, "wdcp.microsoft.com", &["20.61.103."], 443),
    host(EpCat::Microsoft, "time.windows.com", &["168.61.215."], 123),
    host(
        EpCat::Web,
        "www.google.com",
        &["142.250.185.", "142.250.186."],
        443,
    ),
    host(EpCat::Web, "www.youtube.com", &["142.250."], 443),
    host(EpCat::Web, "www.linkedin.com", &["13.107.42."], 443),
    host(EpCat::Web, "github.com", &["140.82.121."], 443),
    host(EpCat::Web, "app.slack.com", &["3.33.", "34.225."], 443),
    host(EpCat::Web, "zoom.us", &["170.114."], 443),
    host(EpCat::Web, "www.bbc.co.uk", &["151.101."], 443),
    host(EpCat::Web, "stackoverflow.com", &["104.18."], 443),
    host(EpCat::Web, "www.heise.de", &["193.99.144."], 443),
    host(EpCat::Web, "cdn.jsdelivr.net", &["104.16."], 443),
    host(EpCat::Web, "de.wikipedia.org", &["185.15.59."], 443),
    host(EpCat::Web, "www.amazon.de", &["52.94."], 443),
    host(EpCat::Web, "docs.google.com", &["142.250.184."], 443),
    host(EpCat::Repo, "archive.ubuntu.com", &["185.125.190."], 80),
    host(EpCat::Repo, "security.ubuntu.com", &["91.189.91."], 80),
    host(EpCat::Repo, "pypi.org", &["151.101."], 443),
    host(EpCat::Repo, "files.pythonhosted.org", &["151.101."], 443),
    host(
        EpCat::Repo,
        "registry-1.docker.io",
        &["54.227.", "3.216."],
        443,
    ),
    host(EpCat::Repo, "packages.microsoft.com", &["13.80.99."], 443),
    host(
        EpCat::Repo,
        "objects.githubusercontent.com",
        &["185.199.108."],
        443,
    ),
    host(EpCat::Bad, "cdn-update-check.xyz", &["185.220.101."], 443),
    host(
        EpCat::Bad,
        "login-microsoftonline-secure.com",
        &["45.142.212."],
        443,
    ),
    host(EpCat::Bad, "windowsupdate-cdn.net", &["91.92.251."], 80),
    host(EpCat::Bad, "api.telegram.org", &["149.154.167."], 443),
    host(EpCat::Bad, "transfer.sh", &["144.76.136."], 443),
    host(EpCat::Bad, "", &["198.51.100."], 8080),
    host(EpCat::Bad, "", &["185.159.82."], 4444),
    host(
        EpCat::Bad,
        "a1b2-203-0-113-7.ngrok-free.app",
        &["3.125."],
        443,
    ),
];

/// A web site of the URL pool (e-mail links, downloads, clicks).
pub(in crate::generate) struct UrlSite {
    pub(in crate::generate) domain: &'static str,
    pub(in crate::generate) paths: &'static [&'static str],
    pub(in crate::generate) ip_prefix: &'static str,
    pub(in crate::generate) bad: bool,
}

pub(in crate::generate) const URL_SITES: &[UrlSite] = &[
    UrlSite {
        domain: "contoso.sharepoint.com",
        paths: &[
            "/sites/Finance/SitePages/Budget-2026.aspx",
            "/:x:/s/Sales/E%%%%%%%%%%%%?e=%%%%%%",
            "/sites/HR/SitePages/Home.aspx",
        ],
        ip_prefix: "13.107.136.",
        bad: false,
    },
    UrlSite {
        domain: "www.linkedin.com",
        paths: &[
            "/comm/jobs/view/########/",
            "/feed/update/urn:li:activity:###################/",
        ],
        ip_prefix: "13.107.42.",
        bad: false,
    },
    UrlSite {
        domain: "aka.ms",
        paths: &[
            "/LearnAboutSenderIdentification",
            "/azsdk/python/identity",
            "/mfasetup",
        ],
        ip_prefix: "23.50.",
        bad: false,
    },
    UrlSite {
        domain: "github.com",
        paths: &["/contoso/app/pull/####", "/contoso/infra/issues/###"],
        ip_prefix: "140.82.121.",
        bad: false,
    },
    UrlSite {
        domain: "dl.google.com",
        paths: &["/chrome/install/latest/chrome_installer.exe"],
        ip_prefix: "142.250.185.",
        bad: false,
    },
    UrlSite {
        domain: "zoom.us",
        paths: &[
            "/j/##########?pwd=%%%%%%%%%%%%",
            "/client/latest/ZoomInstallerFull.msi",
        ],
        ip_prefix: "170.114.52.",
        bad: false,
    },
    UrlSite {
        domain: "www.fabrikam.com",
        paths: &["/invoices/INV-2026-####", "/newsletter/2026/01"],
        ip_prefix: "20.54.",
        bad: false,
    },
    UrlSite {
        domain: "login-microsoftonline-secure.com",
        paths: &[
            "/common/oauth2/authorize?client_id=%%%%%%%%&login_hint=",
            "/owa/?id=%%%%%%%%%%",
        ],
        ip_prefix: "45.142.212.",
        bad: true,
    },
    UrlSite {
        domain: "contoso-sharepoint.web.app",
        paths: &["/doc/%%%%%%%%/view", "/share/Q4-Bonus-Plan.xlsx"],
        ip_prefix: "199.36.158.",
        bad: true,
    },
    UrlSite {
        domain: "bit.ly",
        paths: &["/3x%%%Q", "/4k%%%z"],
        ip_prefix: "67.199.248.",
        bad: true,
    },
    UrlSite {
        domain: "ipfs.io",
        paths: &["/ipfs/bafybeig%%%%%%%%%%%%%%%%%%%%%%%%%%%%/index.html"],
        ip_prefix: "209.94.90.",
        bad: true,
    },
    UrlSite {
        domain: "dhl-delivery-notice.info",
        paths: &["/track?id=##########", "/redelivery/form.php"],
        ip_prefix: "91.92.251.",
        bad: true,
    },
];

/// Where people connect from (cloud activity, clicks, laptops' public IP).
pub(in crate::generate) struct Geo {
    pub(in crate::generate) prefix: &'static str,
    pub(in crate::generate) country: &'static str,
    pub(in crate::generate) city: &'static str,
    pub(in crate::generate) isp: &'static str,
    pub(in crate::generate) risky: bool,
    pub(in crate::generate) tag: Option<&'static str>,
    pub(in crate::generate) category: Option<&'static str>,
}

const fn geo(
    prefix: &'static str,
    country: &'static str,
    city: &'static str,
    isp: &'static str,
) -> Geo {
    Geo {
        prefix,
        country,
        city,
        isp,
        risky: false,
        tag: None,
        category: None,
    }
}

pub(in crate::generate) const GEOS: &[Geo] = &[
    Geo {
        category: Some("Corporate"),
        ..geo("104.129.", "DE", "Frankfurt am Main", "Zscaler, Inc.")
    },
    geo("84.158.", "DE", "Berlin", "Deutsche Telekom AG"),
    geo("91.64.", "DE", "München", "Vodafone GmbH"),
    geo("73.162.", "US", "Seattle", "Comcast Cable Communications"),
    geo("86.246.", "FR", "Paris", "Orange S.A."),
    geo("81.2.", "GB", "London", "Sky UK Limited"),
    geo("77.249.", "NL", "Amsterdam", "Ziggo B.V."),
    Geo {
        risky: true,
        tag: Some("Tor"),
        category: Some("Anonymous proxy"),
        ..geo("185.220.", "DE", "Frankfurt am Main", "Tor exit node")
    },
    Geo {
        risky: true,
        tag: Some("Hosting"),
        category: Some("Hosting"),
        ..geo("45.142.", "RU", "Moscow", "Aeza International Ltd")
    },
    Geo {
        risky: true,
        ..geo("102.89.", "NG", "Lagos", "MTN Nigeria")
    },
    Geo {
        risky: true,
        tag: Some("Microsoft Azure"),
        category: Some("Cloud provider"),
        ..geo("52.252.", "US", "Boydton", "Microsoft Azure")
    },
];
pub(in crate::generate) const HOME_GEOS: &[(u8, u16)] =
    &[(1, 6), (2, 4), (3, 3), (4, 2), (5, 2), (6, 1)];
