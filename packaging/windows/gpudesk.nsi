; gpudesk's Windows installer: NSIS 3, Modern UI 2, per-user (no administrator rights).
;
; Build (after PyInstaller made dist\gpudesk\ and packaging/make_icons.py made build\icons\):
;   makensis -DVERSION=0.1.0 packaging\windows\gpudesk.nsi
; Defines (all optional except VERSION):
;   SOURCE_DIR   the PyInstaller folder to install     (default ../../dist/gpudesk)
;   OUTFILE      the installer to write                 (default ../../dist/gpudesk-VERSION-setup.exe)
;   ICON         the .ico for installer and uninstaller (default ../../build/icons/gpudesk.ico)
;   PAYLOAD_EXE  the program file that must be in SOURCE_DIR (default gpudesk.exe; `make dist`
;                on Linux passes "gpudesk" to compile this script against the Linux build as a
;                stand-in payload, which checks the script, its languages and its file list)
; Relative paths are relative to this file's folder (makensis changes into it).
;
; What it does:
; * installs into %LOCALAPPDATA%\Programs\gpudesk (RequestExecutionLevel user), a Start-menu
;   entry, optionally a desktop shortcut and "start at login" (HKCU ...\Run);
; * upgrades in place: same folder (from the uninstall entry), the old program files are
;   replaced, the user's data is not touched, previous choices are pre-selected;
; * registers an uninstall entry under HKCU so it shows in "Apps & features";
; * English and Simplified Chinese pages, picked from the Windows display language.
; The uninstaller removes the program, its shortcuts and registry entries, and the two lines
; gpudesk put at the top of %USERPROFILE%\.ssh\config (its marker comment and its Include line,
; see gpudesk/core/editor/sshconfig.py); nothing else in .ssh, never any key. gpudesk's own data
; (settings, saved instances, pinned host keys, its ssh host files, logs) stays unless the user
; ticks "Remove my data" (silently: uninstall.exe /S /REMOVEDATA).

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma
SetCompressorDictSize 64

!ifndef VERSION
  !error "Pass the version: makensis -DVERSION=x.y.z gpudesk.nsi"
!endif
!ifndef SOURCE_DIR
  !define SOURCE_DIR "../../dist/gpudesk"
!endif
!ifndef OUTFILE
  !define OUTFILE "../../dist/gpudesk-${VERSION}-setup.exe"
!endif
!ifndef ICON
  !define ICON "../../build/icons/gpudesk.ico"
!endif
!ifndef PAYLOAD_EXE
  !define PAYLOAD_EXE "gpudesk.exe"
!endif

!define APP_NAME "gpudesk"
!define APP_EXE "gpudesk.exe"
!define CLI_EXE "gpudesk-cli.exe"
!define PUBLISHER "gpudesk contributors"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\gpudesk"
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
; QSettings("gpudesk", "gpudesk") on Windows: window geometry and other UI state.
!define QT_SETTINGS_KEY "Software\gpudesk"
; gpudesk/core/editor/sshconfig.py: INCLUDE_MARKER and the end of include_pattern
; (paths.config_dir() = %APPDATA%\gpudesk, MANAGED_DIR_NAME, "*" + ENTRY_SUFFIX).
!define SSH_MARKER "# Added by gpudesk"
!define SSH_MARKER_LENGTH 18
!define SSH_INCLUDE_SUFFIX "/gpudesk/ssh_config.d/*.conf"
!define SSH_INCLUDE_SUFFIX_LENGTH 28
!define SSH_INCLUDE_QUOTED_LENGTH 29

; --- the payload must be a complete gpudesk build (checked when compiling) -------------------
!macro REQUIRE_FILE PATH
  !if ! /FileExists "${SOURCE_DIR}/${PATH}"
    !error "${SOURCE_DIR}/${PATH} is missing: build dist/gpudesk first (make dist)"
  !endif
!macroend
!insertmacro REQUIRE_FILE "${PAYLOAD_EXE}"
!insertmacro REQUIRE_FILE "_internal/resources/platforms/autodl.json"
!insertmacro REQUIRE_FILE "_internal/resources/gpus.json"
!insertmacro REQUIRE_FILE "_internal/resources/images.json"
!insertmacro REQUIRE_FILE "_internal/resources/icons/gpudesk.svg"
!insertmacro REQUIRE_FILE "_internal/resources/i18n/gpudesk_zh_CN.qm"
!if ! /FileExists "${ICON}"
  !error "${ICON} is missing: run packaging/make_icons.py"
!endif

; The version resource needs four numbers: x.y.z -> x.y.z.0 (pass VERSION_QUAD for others).
!ifndef VERSION_QUAD
  !define VERSION_QUAD "${VERSION}.0"
!endif

Name "${APP_NAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\gpudesk"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
RequestExecutionLevel user
ShowInstDetails show
ShowUninstDetails show
BrandingText "${APP_NAME} ${VERSION}"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "TextFunc.nsh"
!include "Sections.nsh"

; --- pages ------------------------------------------------------------------------------------
!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_SMALLDESC
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the fallback; Windows' display language picks the other.
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "SimpChinese"

; --- our own texts ----------------------------------------------------------------------------
LangString SecAppName ${LANG_ENGLISH} "gpudesk (required)"
LangString SecAppName ${LANG_SIMPCHINESE} "gpudesk（必需）"
LangString SecAppDesc ${LANG_ENGLISH} "The gpudesk app, its command line (gpudesk-cli) and a Start-menu entry."
LangString SecAppDesc ${LANG_SIMPCHINESE} "gpudesk 程序、命令行工具（gpudesk-cli）和开始菜单项。"
LangString SecDesktopName ${LANG_ENGLISH} "Desktop shortcut"
LangString SecDesktopName ${LANG_SIMPCHINESE} "桌面快捷方式"
LangString SecDesktopDesc ${LANG_ENGLISH} "Put a gpudesk shortcut on the desktop."
LangString SecDesktopDesc ${LANG_SIMPCHINESE} "在桌面上创建 gpudesk 快捷方式。"
LangString SecStartupName ${LANG_ENGLISH} "Start at login"
LangString SecStartupName ${LANG_SIMPCHINESE} "登录时启动"
LangString SecStartupDesc ${LANG_ENGLISH} "Start gpudesk when you log in to Windows, so your tunnels come back by themselves."
LangString SecStartupDesc ${LANG_SIMPCHINESE} "登录 Windows 时自动启动 gpudesk，隧道会自动恢复。"
LangString UnSecAppName ${LANG_ENGLISH} "gpudesk program"
LangString UnSecAppName ${LANG_SIMPCHINESE} "gpudesk 程序"
LangString UnSecAppDesc ${LANG_ENGLISH} "The program, its shortcuts and gpudesk's Include line in .ssh\config. SSH keys stay."
LangString UnSecAppDesc ${LANG_SIMPCHINESE} "程序、快捷方式，以及 .ssh\config 中 gpudesk 的 Include 行。SSH 密钥会保留。"
LangString UnSecDataName ${LANG_ENGLISH} "Remove my data"
LangString UnSecDataName ${LANG_SIMPCHINESE} "删除我的数据"
LangString UnSecDataDesc ${LANG_ENGLISH} "Also delete gpudesk's settings, instances, host keys and logs. SSH keys stay."
LangString UnSecDataDesc ${LANG_SIMPCHINESE} "同时删除 gpudesk 的设置、实例、主机密钥和日志。SSH 密钥会保留。"
LangString AppRunning ${LANG_ENGLISH} "gpudesk is still running. Quit it (tray icon > Quit), then click Retry."
LangString AppRunning ${LANG_SIMPCHINESE} "gpudesk 仍在运行。请先退出（托盘图标 > 退出），然后点击“重试”。"
LangString SshConfigKept ${LANG_ENGLISH} "Could not edit $PROFILE\.ssh\config; remove the two gpudesk lines at its top by hand."
LangString SshConfigKept ${LANG_SIMPCHINESE} "无法修改 $PROFILE\.ssh\config，请手动删除文件顶部 gpudesk 添加的两行。"
LangString SshConfigCleaned ${LANG_ENGLISH} "Removed gpudesk's Include line from $PROFILE\.ssh\config."
LangString SshConfigCleaned ${LANG_SIMPCHINESE} "已从 $PROFILE\.ssh\config 删除 gpudesk 的 Include 行。"

VIProductVersion "${VERSION_QUAD}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${APP_NAME} installer"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "MIT License, ${PUBLISHER}"

; --- a running gpudesk locks its files: ask the user to quit it ------------------------------
!macro FLAG_IF_LOCKED FILE
  ${If} ${FileExists} "${FILE}"
    ClearErrors
    FileOpen $1 "${FILE}" a
    ${If} ${Errors}
      StrCpy $0 1
    ${Else}
      FileClose $1
    ${EndIf}
  ${EndIf}
!macroend

!macro DEFINE_ENSURE_NOT_RUNNING PREFIX
Function ${PREFIX}EnsureNotRunning
  ; Windows refuses to open a running .exe for writing: a test that changes nothing and
  ; needs no plug-in. Both the app and its command line (a tunnel may run there) count.
  Push $0
  Push $1
  retry:
  StrCpy $0 0
  !insertmacro FLAG_IF_LOCKED "$INSTDIR\${APP_EXE}"
  !insertmacro FLAG_IF_LOCKED "$INSTDIR\${CLI_EXE}"
  ${If} $0 == 1
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(AppRunning)" /SD IDCANCEL IDRETRY retry
    Abort
  ${EndIf}
  Pop $1
  Pop $0
FunctionEnd
!macroend
!insertmacro DEFINE_ENSURE_NOT_RUNNING ""
!insertmacro DEFINE_ENSURE_NOT_RUNNING "un."

; --- install ----------------------------------------------------------------------------------
Section "$(SecAppName)" SecApp
  SectionIn RO
  SetShellVarContext current
  Call EnsureNotRunning
  ; Upgrade in place: replace the old program files (an old library must not linger), keep
  ; everything else. User data never lives here.
  RMDir /r "$INSTDIR\_internal"
  Delete "$DESKTOP\${APP_NAME}.lnk"
  DeleteRegValue HKCU "${RUN_KEY}" "${APP_NAME}"

  SetOutPath "$INSTDIR"
  File /r "${SOURCE_DIR}/*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" $0
SectionEnd

Section "$(SecDesktopName)" SecDesktop
  SetShellVarContext current
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0
SectionEnd

Section /o "$(SecStartupName)" SecStartup
  WriteRegStr HKCU "${RUN_KEY}" "${APP_NAME}" '"$INSTDIR\${APP_EXE}"'
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecApp} $(SecAppDesc)
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} $(SecDesktopDesc)
  !insertmacro MUI_DESCRIPTION_TEXT ${SecStartup} $(SecStartupDesc)
!insertmacro MUI_FUNCTION_DESCRIPTION_END

Function .onInit
  ; An upgrade keeps the choices of the installed version.
  ReadRegStr $0 HKCU "${UNINSTALL_KEY}" "InstallLocation"
  ${If} $0 != ""
    ${IfNot} ${FileExists} "$DESKTOP\${APP_NAME}.lnk"
      !insertmacro UnselectSection ${SecDesktop}
    ${EndIf}
    ReadRegStr $1 HKCU "${RUN_KEY}" "${APP_NAME}"
    ${If} $1 != ""
      !insertmacro SelectSection ${SecStartup}
    ${EndIf}
  ${EndIf}
FunctionEnd

; --- uninstall --------------------------------------------------------------------------------
Section "un.$(UnSecAppName)" UnSecApp
  SectionIn RO
  SetShellVarContext current
  Call un.EnsureNotRunning
  ; Only what the installer put here: a folder the user picked may hold other files.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\${PAYLOAD_EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  Delete "$DESKTOP\${APP_NAME}.lnk"
  DeleteRegValue HKCU "${RUN_KEY}" "${APP_NAME}"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  Call un.RemoveSshInclude
SectionEnd

Section /o "un.$(UnSecDataName)" UnSecData
  SetShellVarContext current
  ; platformdirs' Windows folders as used by gpudesk/core/paths.py: config (roaming) in
  ; %APPDATA%\gpudesk; state and logs in %LOCALAPPDATA%\gpudesk (logs in its Logs folder).
  RMDir /r "$APPDATA\${APP_NAME}"
  RMDir /r "$LOCALAPPDATA\${APP_NAME}"
  DeleteRegKey HKCU "${QT_SETTINGS_KEY}"
SectionEnd

; `uninstall.exe /S /REMOVEDATA`: a silent uninstall that also removes the user's data (the
; "Remove my data" box, ticked); without it a silent uninstall keeps the data.
Function un.onInit
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/REMOVEDATA" $R1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${UnSecData}
  ${EndIf}
FunctionEnd

!insertmacro MUI_UNFUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${UnSecApp} $(UnSecAppDesc)
  !insertmacro MUI_DESCRIPTION_TEXT ${UnSecData} $(UnSecDataDesc)
!insertmacro MUI_UNFUNCTION_DESCRIPTION_END

; Remove gpudesk's two lines from %USERPROFILE%\.ssh\config: the marker comment line
; ("# Added by gpudesk: its hosts are in ...") immediately followed by its Include line
; ("Include C:/Users/.../AppData/Roaming/gpudesk/ssh_config.d/*.conf", quoted when the path
; has a space). Every other byte stays as it was (line endings, non-ASCII text): the first pass
; only finds the byte range of the pair, the second copies all other bytes one by one (NSIS's
; FileRead/FileWrite would re-encode text through the ANSI code page). The file is rewritten
; in place, so it keeps its owner-only permissions; a copy waits in %TEMP% until it is done.
Function un.RemoveSshInclude
  Push $R0
  Push $R1
  Push $R2
  Push $R3
  Push $R4
  Push $R5
  Push $R6
  Push $R7
  Push $R8
  StrCpy $R0 "$PROFILE\.ssh\config"
  StrCpy $R5 -1 ; start of the bytes to cut
  StrCpy $R6 -1 ; end of the bytes to cut
  ${IfNot} ${FileExists} "$R0"
    Goto done
  ${EndIf}
  ClearErrors
  FileOpen $R1 "$R0" r
  ${If} ${Errors}
    DetailPrint "$(SshConfigKept)"
    Goto done
  ${EndIf}
  StrCpy $R3 0  ; offset where the current line starts
  StrCpy $R4 -1 ; offset of the marker line just before, or -1
  find:
    ClearErrors
    FileRead $R1 $R2
    ${If} ${Errors}
      Goto found
    ${EndIf}
    FileSeek $R1 0 CUR $R7 ; the offset where the next line starts
    ${TrimNewLines} "$R2" $R2
    ${If} $R4 != -1
      StrCpy $R8 $R2 8
      ${If} $R8 == "Include "
        StrCpy $R8 $R2 "" -${SSH_INCLUDE_SUFFIX_LENGTH}
        ${If} $R8 == "${SSH_INCLUDE_SUFFIX}"
          StrCpy $R5 $R4
          StrCpy $R6 $R7
          Goto found
        ${EndIf}
        StrCpy $R8 $R2 "" -${SSH_INCLUDE_QUOTED_LENGTH}
        ${If} $R8 == '${SSH_INCLUDE_SUFFIX}"'
          StrCpy $R5 $R4
          StrCpy $R6 $R7
          Goto found
        ${EndIf}
      ${EndIf}
    ${EndIf}
    StrCpy $R8 $R2 ${SSH_MARKER_LENGTH}
    ${If} $R8 S== "${SSH_MARKER}"
      StrCpy $R4 $R3
    ${Else}
      StrCpy $R4 -1
    ${EndIf}
    StrCpy $R3 $R7
    Goto find
  found:
  FileClose $R1
  ${If} $R5 == -1
    Goto done
  ${EndIf}

  StrCpy $R2 "$TEMP\gpudesk-ssh-config.bak"
  ClearErrors
  CopyFiles /SILENT "$R0" "$R2"
  ${If} ${Errors}
    DetailPrint "$(SshConfigKept)"
    Goto done
  ${EndIf}
  ClearErrors
  FileOpen $R1 "$R2" r
  FileOpen $R3 "$R0" w
  ${If} ${Errors}
    FileClose $R1
    FileClose $R3
    DetailPrint "$(SshConfigKept)"
    Goto done
  ${EndIf}
  StrCpy $R4 0 ; byte offset
  copy:
    ClearErrors
    FileReadByte $R1 $R7
    ${If} ${Errors}
      Goto copied
    ${EndIf}
    ${If} $R4 < $R5
    ${OrIf} $R4 >= $R6
      FileWriteByte $R3 $R7
    ${EndIf}
    IntOp $R4 $R4 + 1
    Goto copy
  copied:
  FileClose $R1
  FileClose $R3
  Delete "$R2"
  DetailPrint "$(SshConfigCleaned)"
  done:
  Pop $R8
  Pop $R7
  Pop $R6
  Pop $R5
  Pop $R4
  Pop $R3
  Pop $R2
  Pop $R1
  Pop $R0
FunctionEnd
