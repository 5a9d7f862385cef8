#!/usr/bin/env bash
# Installs the system packages WebGPU needs on a GPU-less Debian machine, when they are missing:
# Chromium (its SwiftShader Vulkan driver, and the browser for the page tests) and the Vulkan loader.
# Does nothing when they are present, or when apt-get cannot run (not root, not Debian).
set -euo pipefail
# The library cache is read once into a variable and searched there: `ldconfig -p | grep -q` under
# pipefail fails whenever grep exits early and ldconfig dies of SIGPIPE, which made the script
# think a present library was missing and run apt-get for nothing.
libraries="$(ldconfig -p 2>/dev/null || true)"
has_library() { case "$libraries" in *"$1 "*) return 0 ;; *) return 1 ;; esac; }
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
has_library libvulkan.so.1 || missing+=(libvulkan1)
has_library libEGL.so.1 || missing+=(libegl1 libgles2 libegl-mesa0)
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null || [ "$(id -u)" != 0 ]; then
  echo "webgpu-pooling: missing system packages (${missing[*]}); install them as root with apt-get to get a software WebGPU adapter." >&2
  exit 0
fi
echo "webgpu-pooling: installing ${missing[*]} ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq "${missing[@]}" >/dev/null
