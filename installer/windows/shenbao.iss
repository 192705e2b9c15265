; Inno Setup 6 script for shenbao (申报助手): per-user (default) or per-machine install
; of the PyInstaller folder dist\shenbao.
;
; Build (scripts\build_windows.py does all of this, reading the version from pyproject.toml):
;   ISCC.exe /DAppVersion=0.1.0 [/DDistDir=..\..\dist\shenbao] installer\windows\shenbao.iss
;   -> dist\shenbao-<version>-setup.exe
;
; Install, silently (see docs\it-deployment.md):
;   shenbao-0.1.0-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /CURRENTUSER
;   shenbao-0.1.0-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /ALLUSERS      (admin)
; Presets written to {app}\settings.json (read by the program as machine settings):
;   /WORKSPACE="\\srv\share\shenbao"  /CATALOGFOLDER="\\srv\share\catalog"  /LANGUAGE=zh|en
;   /SETTINGS="\\srv\share\settings.json"   (copy this file instead)
; Uninstall: "{app}\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
;   (user data in %LOCALAPPDATA%\shenbao and %PROGRAMDATA%\shenbao stay)

#ifndef AppVersion
  #error Pass /DAppVersion=x.y.z (scripts\build_windows.py reads it from pyproject.toml)
#endif
#ifndef DistDir
  #define DistDir "..\..\dist\shenbao"
#endif
#ifndef IconFile
  #define IconFile "..\..\build\icons\shenbao.ico"
#endif

[Setup]
; Never change AppId: upgrades and uninstall find earlier installs by it.
AppId={{5B0E7C61-3C1A-4E8B-9D52-6A2F4E1B9C07}
AppName=申报助手 shenbao
AppVersion={#AppVersion}
AppVerName=申报助手 shenbao {#AppVersion}
AppPublisher=shenbao developers
VersionInfoVersion={#AppVersion}
VersionInfoProductVersion={#AppVersion}
VersionInfoDescription=申报助手 shenbao setup
; {autopf}: %LOCALAPPDATA%\Programs for a per-user install, Program Files per machine.
DefaultDirName={autopf}\shenbao
DefaultGroupName=申报助手
DisableProgramGroupPage=yes
DisableDirPage=auto
; Per-user by default (no administrator rights); the dialog or /ALLUSERS picks per-machine.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=shenbao-{#AppVersion}-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\shenbao-gui.exe
UninstallDisplayName=申报助手 shenbao {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; A running shenbao-gui is closed (and restarted) by the Restart Manager on upgrade.
CloseApplications=yes
RestartApplications=no
SetupLogging=yes

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "zh"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole program folder: no stale library survives from an older build.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; /SETTINGS=FILE: IT's own settings file, copied beside the program.
Source: "{code:SettingsSource}"; DestDir: "{app}"; DestName: "settings.json"; Flags: external skipifsourcedoesntexist; Check: HasSettingsFile

[Icons]
Name: "{autoprograms}\申报助手 shenbao"; Filename: "{app}\shenbao-gui.exe"; Comment: "离线准备上海“人工智能+”支持政策申报材料"
Name: "{autodesktop}\申报助手 shenbao"; Filename: "{app}\shenbao-gui.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\shenbao-gui.exe"; Description: "{cm:LaunchProgram,申报助手}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
Type: files; Name: "{app}\settings.json"

[Code]
function HasSettingsFile: Boolean;
begin
  Result := ExpandConstant('{param:SETTINGS|}') <> '';
end;

function SettingsSource(Param: String): String;
begin
  Result := ExpandConstant('{param:SETTINGS|}');
end;

function JsonString(Value: String): String;
begin
  StringChangeEx(Value, '\', '\\', True);
  StringChangeEx(Value, '"', '\"', True);
  Result := '"' + Value + '"';
end;

procedure AddSetting(var Lines: TArrayOfString; Key, Value: String);
var
  N: Integer;
begin
  if Value = '' then Exit;
  N := GetArrayLength(Lines);
  SetArrayLength(Lines, N + 1);
  Lines[N] := '  ' + JsonString(Key) + ': ' + JsonString(Value);
end;

{ /WORKSPACE, /CATALOGFOLDER, /LANGUAGE -> {app}\settings.json (unless /SETTINGS gave a file). }
procedure WritePresets;
var
  Entries, Lines: TArrayOfString;
  I: Integer;
  Lang: String;
begin
  if HasSettingsFile then Exit;
  AddSetting(Entries, 'workspace', ExpandConstant('{param:WORKSPACE|}'));
  AddSetting(Entries, 'catalog_folder', ExpandConstant('{param:CATALOGFOLDER|}'));
  Lang := Lowercase(ExpandConstant('{param:LANGUAGE|}'));
  if (Lang = 'zh') or (Lang = 'en') then
    AddSetting(Entries, 'language', Lang)
  else if Lang <> '' then
    Log('Ignoring /LANGUAGE=' + Lang + ': use zh or en');
  if GetArrayLength(Entries) = 0 then Exit;
  SetArrayLength(Lines, GetArrayLength(Entries) + 2);
  Lines[0] := '{';
  for I := 0 to GetArrayLength(Entries) - 1 do
  begin
    if I < GetArrayLength(Entries) - 1 then
      Lines[I + 1] := Entries[I] + ','
    else
      Lines[I + 1] := Entries[I];
  end;
  Lines[GetArrayLength(Lines) - 1] := '}';
  if SaveStringsToUTF8File(ExpandConstant('{app}\settings.json'), Lines, False) then
    Log('Wrote presets to ' + ExpandConstant('{app}\settings.json'))
  else
    Log('Could not write ' + ExpandConstant('{app}\settings.json'));
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if CurStep = ssPostInstall then
    WritePresets;
end;
