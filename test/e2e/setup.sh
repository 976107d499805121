#!/usr/bin/env bash
# Installs the e2e harness's own dependencies (code-server 4.100.3 = VS Code 1.100.3, the newest on
# Node 20, and playwright-core) offline-safe. Chromium, ripgrep and libkrb5-dev come from Debian:
#   apt-get install -y --no-install-recommends chromium ripgrep libkrb5-dev
set -euo pipefail
cd "$(dirname "$0")"
for tool in rg chromium; do command -v "$tool" >/dev/null || { echo "setup.sh: '$tool' missing; apt-get install -y chromium ripgrep libkrb5-dev" >&2; exit 1; }; done
# @vscode/ripgrep@1.15.11's postinstall downloads rg from GitHub unless this cache file exists: seed it with Debian's rg.
cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"; mkdir -p "$cache"
tar czf "$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg
export npm_config_unsafe_perm=true   # code-server's postinstall refuses to run as root otherwise
export npm_config_yes=true           # node-pty's postinstall runs `npx node-gyp`; the machine npmrc says yes=false
s=$(date +%s)
npm install --no-audit --no-fund --foreground-scripts > install.log 2>&1 || { tail -30 install.log >&2; exit 1; }
# --version writes a default config into $XDG_CONFIG_HOME: point it at a throwaway folder.
version=$(XDG_CONFIG_HOME=$(mktemp -d) node node_modules/code-server/out/node/entry.js --version 2>/dev/null | tail -1)
echo "setup.sh: installed in $(( $(date +%s) - s ))s: code-server $version"
