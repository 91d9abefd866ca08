<#
  Installs the built installer silently, checks what it did, installs it again (upgrade in
  place), uninstalls it and checks what is left. For the Windows CI runner only
  (.github/workflows/windows.yml): it writes %USERPROFILE%\.ssh\config.

    powershell -File packaging\windows\installer-smoke-test.ps1 -Installer dist\gpudesk-0.1.0-setup.exe
#>
param([Parameter(Mandatory = $true)] [string] $Installer)
$ErrorActionPreference = 'Stop'

$installDir = Join-Path $env:LOCALAPPDATA 'Programs\gpudesk'
$uninstallKey = 'HKCU:\Software\Microsoft\Windows\CurrentVersion\Uninstall\gpudesk'
$startMenu = Join-Path $env:APPDATA 'Microsoft\Windows\Start Menu\Programs\gpudesk.lnk'

function Check([bool] $Condition, [string] $What) {
  if (-not $Condition) { throw "installer smoke test: $What" }
  Write-Host "ok   $What"
}

function Install() {
  $process = Start-Process -FilePath $Installer -ArgumentList '/S' -Wait -PassThru
  Check ($process.ExitCode -eq 0) "installer exit code 0 (got $($process.ExitCode))"
}

Install
foreach ($file in 'gpudesk.exe', 'gpudesk-cli.exe', 'uninstall.exe', '_internal\resources\gpus.json') {
  Check (Test-Path (Join-Path $installDir $file)) "installed $file"
}
Check (Test-Path $startMenu) 'Start-menu entry'
$entry = Get-ItemProperty $uninstallKey
Check ($entry.DisplayName -eq 'gpudesk') 'uninstall entry DisplayName'
Check ([string]::IsNullOrEmpty($entry.DisplayVersion) -eq $false) "uninstall entry DisplayVersion $($entry.DisplayVersion)"
Check ($entry.Publisher -ne $null) 'uninstall entry Publisher'
Check ($entry.EstimatedSize -gt 0) "uninstall entry EstimatedSize $($entry.EstimatedSize) KB"

& (Join-Path $installDir 'gpudesk-cli.exe') --self-test
Check ($LASTEXITCODE -eq 0) 'installed gpudesk-cli.exe --self-test'

Install  # upgrade in place over the running-free installation
Check (Test-Path (Join-Path $installDir 'gpudesk.exe')) 'upgrade in place kept gpudesk.exe'

# ~/.ssh/config with gpudesk's two lines on top (exactly as gpudesk writes them) above the
# user's own lines (CRLF, non-ASCII); after uninstalling, only the user's bytes may remain.
$expected = Join-Path $env:TEMP 'gpudesk-expected-ssh-config'
$script = Join-Path $env:TEMP 'gpudesk-write-ssh-config.py'
@'
import pathlib
import sys

from gpudesk.core.editor.sshconfig import SshConfig

config = SshConfig()
comment, include = config.include_lines()
user = "# \u6211\u7684\u670d\u52a1\u5668\r\nHost mine\r\n    HostName example.org\r\n".encode()
config.config_path.parent.mkdir(parents=True, exist_ok=True)
config.config_path.write_bytes(f"{comment}\r\n{include}\r\n".encode() + user)
pathlib.Path(sys.argv[1]).write_bytes(user)
print(comment)
print(include)
'@ | Set-Content -Encoding ASCII $script
python $script $expected
Check ($LASTEXITCODE -eq 0) 'wrote ~/.ssh/config with the gpudesk lines'
$dataDir = Join-Path $env:APPDATA 'gpudesk'
New-Item -ItemType Directory -Force $dataDir | Out-Null
Set-Content (Join-Path $dataDir 'smoke-test-marker') 'keep me'

$process = Start-Process -FilePath (Join-Path $installDir 'uninstall.exe') `
  -ArgumentList '/S', "_?=$installDir" -Wait -PassThru
Check ($process.ExitCode -eq 0) "uninstaller exit code 0 (got $($process.ExitCode))"
Check (-not (Test-Path (Join-Path $installDir 'gpudesk.exe'))) 'program removed'
Check (-not (Test-Path (Join-Path $installDir '_internal'))) '_internal removed'
Check (-not (Test-Path $startMenu)) 'Start-menu entry removed'
Check (-not (Test-Path $uninstallKey)) 'uninstall entry removed'
Check (Test-Path (Join-Path $dataDir 'smoke-test-marker')) 'user data kept (no "remove my data")'
$after = [IO.File]::ReadAllBytes((Join-Path $env:USERPROFILE '.ssh\config'))
$want = [IO.File]::ReadAllBytes($expected)
Check ([Convert]::ToBase64String($after) -eq [Convert]::ToBase64String($want)) `
  '.ssh\config: only the gpudesk lines removed, every other byte kept'
Remove-Item -Recurse -Force $installDir -ErrorAction SilentlyContinue  # uninstall.exe ran in place
Write-Host 'installer smoke test passed'
