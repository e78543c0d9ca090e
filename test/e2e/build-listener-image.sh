#!/usr/bin/env bash
# Builds the image the container end-to-end tests run: the reference listeners on this machine's
# own Node, with the packages they import, and no base image (no registry can be reached).
# `docker import` of a small rootfs needs no builder. The image runs as a named non-root user, so
# the tests also prove that the kit's 0600 keys are readable by the container's user. Rebuilt only
# when node, examples/listeners or those packages change.
# Usage: build-listener-image.sh [TAG]   (default wh-conformance/test-listener:local)
set -euo pipefail
tag="${1:-wh-conformance/test-listener:local}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
node_bin="$(readlink -f "$(command -v node)")"

# The package folders (relative to the repository) the listeners import, with their dependencies,
# resolved the way Node resolves them from examples/listeners.
packages="$(cd "$repo" && node --input-type=module -e '
  import { readdirSync, readFileSync, realpathSync } from "node:fs";
  import { createRequire } from "node:module";
  import { dirname, join, relative } from "node:path";
  const imports = readdirSync("examples/listeners").filter((f) => f.endsWith(".mjs"))
    .flatMap((f) => [...readFileSync(join("examples/listeners", f), "utf8").matchAll(/from\s+["\x27]([^."\x27][^"\x27]*)["\x27]/g)].map((m) => m[1]))
    .filter((name) => !name.startsWith("node:"));
  const packageOf = (name) => name.split("/").slice(0, name.startsWith("@") ? 2 : 1).join("/");
  const dirs = new Set();
  const visit = (name, from) => {
    const dir = dirname(createRequire(join(from, "noop.js")).resolve(`${packageOf(name)}/package.json`));
    if (dirs.has(dir)) return;
    dirs.add(dir);
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep, dir);
  };
  for (const name of new Set(imports)) visit(name, join(process.cwd(), "examples/listeners"));
  // Through node_modules even when it is a symlink (a git worktree sharing the node_modules of another checkout):
  // resolved paths are real ones, which would land outside /app.
  const modules = realpathSync("node_modules");
  const inRepo = (d) => (d.startsWith(modules + "/") ? join("node_modules", relative(modules, d)) : relative(process.cwd(), d));
  console.log([...dirs].map(inRepo).sort().join("\n"));
')"

source_hash="$( { node --version; sha256sum "$node_bin" | cut -d' ' -f1; cd "$repo/examples/listeners" && find . -type f | LC_ALL=C sort | xargs sha256sum; cd "$repo" && for p in $packages; do echo "$p $(sha256sum "$p/package.json")"; done; } | sha256sum | cut -c1-16)"
current="$(docker image inspect -f '{{ index .Config.Labels "wh-conformance.source" }}' "$tag" 2>/dev/null || true)"
if [ "$current" = "$source_hash" ]; then
  echo "listener image $tag is up to date ($source_hash)"
  exit 0
fi

rootfs="$(mktemp -d)"
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs/usr/local/bin" "$rootfs/app" "$rootfs/etc" "$rootfs/tmp"
chmod 1777 "$rootfs/tmp"
cp "$node_bin" "$rootfs/usr/local/bin/node"
# The shared libraries node links, the dynamic loader included, at their own paths.
for lib in $(ldd "$node_bin" | grep -o '/[^ ]*'); do
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
done
cp -R "$repo/examples/listeners" "$rootfs/app/listeners"
for p in $packages; do
  mkdir -p "$rootfs/app/$(dirname "$p")"
  [ -e "$rootfs/app/$p" ] || cp -R "$repo/$p" "$rootfs/app/$p"  # a nested package came with its parent
done
echo 'root:x:0:0:root:/:/nonexistent' >"$rootfs/etc/passwd"
echo 'listener:x:10001:10001:listener:/app:/nonexistent' >>"$rootfs/etc/passwd"
printf 'root:x:0:\nlistener:x:10001:\n' >"$rootfs/etc/group"

tar -C "$rootfs" --numeric-owner --owner=0 --group=0 -c . | docker import \
  -c 'USER listener' \
  -c 'WORKDIR /app' \
  -c 'ENTRYPOINT ["/usr/local/bin/node"]' \
  -c 'CMD ["listeners/secure.mjs"]' \
  -c "LABEL wh-conformance.source=$source_hash" \
  - "$tag" >/dev/null
echo "listener image $tag built ($source_hash)"
