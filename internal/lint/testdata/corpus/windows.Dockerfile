# escape=`

FROM mcr.microsoft.com/windows/servercore:ltsc2022

SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]

RUN Invoke-WebRequest -Uri https://aka.ms/vs/17/release/vs_buildtools.exe -OutFile vs_buildtools.exe ; `
    Start-Process vs_buildtools.exe -ArgumentList '--quiet', '--wait' -Wait ; `
    Remove-Item vs_buildtools.exe

RUN iex ((New-Object System.Net.WebClient).DownloadString('https://community.chocolatey.org/install.ps1')) | bash

WORKDIR C:\app
COPY . .
CMD ["app.exe"]
