; The Windows installer (scripts/dist.sh runs makensis with VERSION, EXE and OUT defined).
; Per machine, in Program Files, with a Start menu entry, an optional desktop shortcut and
; an uninstaller in Apps & features. The data (%AppData%\Gatehouse) is never removed.
Unicode true
!include "MUI2.nsh"
!include "x64.nsh"

Name "Gatehouse"
OutFile "${OUT}"
InstallDir "$PROGRAMFILES64\Gatehouse"
InstallDirRegKey HKLM "Software\Gatehouse" "InstallDir"
RequestExecutionLevel admin
SetCompressor /SOLID lzma
!define UNINST "Software\Microsoft\Windows\CurrentVersion\Uninstall\Gatehouse"
!define MUI_ICON "gatehouse.ico"
!define MUI_UNICON "gatehouse.ico"
VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "Gatehouse"
VIAddVersionKey "FileDescription" "Gatehouse installer"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "Gatehouse"

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\gatehouse.exe"
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "PortugueseBR"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "Gatehouse needs 64-bit Windows 10 or newer."
    Abort
  ${EndIf}
  SetRegView 64
FunctionEnd

Section "Gatehouse" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "/oname=gatehouse.exe" "${EXE}"
  File "gatehouse.ico"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortCut "$SMPROGRAMS\Gatehouse.lnk" "$INSTDIR\gatehouse.exe" "" "$INSTDIR\gatehouse.ico"
  WriteRegStr HKLM "Software\Gatehouse" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${UNINST}" "DisplayName" "Gatehouse"
  WriteRegStr HKLM "${UNINST}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST}" "Publisher" "Gatehouse"
  WriteRegStr HKLM "${UNINST}" "DisplayIcon" "$INSTDIR\gatehouse.ico"
  WriteRegStr HKLM "${UNINST}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKLM "${UNINST}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST}" "NoRepair" 1
  ; The window is Microsoft Edge WebView2, part of Windows 10 and 11; say so where it is missing.
  ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}" "pv"
  ${If} $0 == ""
    ReadRegStr $0 HKCU "Software\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}" "pv"
  ${EndIf}
  ${If} $0 == ""
    MessageBox MB_ICONINFORMATION "Gatehouse shows its window with Microsoft Edge WebView2, which this computer does not seem to have. Install the WebView2 Runtime from Microsoft (search for 'WebView2 Runtime'), then start Gatehouse."
  ${EndIf}
SectionEnd

Section "Desktop shortcut" SecDesktop
  CreateShortCut "$DESKTOP\Gatehouse.lnk" "$INSTDIR\gatehouse.exe" "" "$INSTDIR\gatehouse.ico"
SectionEnd

Section "Uninstall"
  SetRegView 64
  Delete "$INSTDIR\gatehouse.exe"
  Delete "$INSTDIR\gatehouse.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\Gatehouse.lnk"
  Delete "$DESKTOP\Gatehouse.lnk"
  DeleteRegKey HKLM "${UNINST}"
  DeleteRegKey HKLM "Software\Gatehouse"
SectionEnd
