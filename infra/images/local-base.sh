#!/usr/bin/env bash
# Builds the base images the service images are layered on when no registry can be reached (this machine, CI):
# a Java 25 runtime made with jlink from the build's own JDK, plus exactly the shared libraries it (and the
# llama.cpp binding of gpu-worker) loads, copied from this host. The layout copies the standard JRE images'
# (Temurin: /opt/java/openjdk, JAVA_HOME, PATH), so an image built on it runs the same way on eclipse-temurin.
#
#   infra/images/local-base.sh <output dir> <java home>
#
# Writes <output dir>/verigen-base-jre.tar and verigen-base-sandbox.tar (the same plus what verifier-svc's
# code_tests sandbox runs: bubblewrap, setpriv, prlimit, python3, node), each a `docker save`-format archive that
# Jib reads as a base (`tar://`). Skips the work when the inputs have not changed.
set -euo pipefail

out="${1:?usage: local-base.sh <output dir> <java home>}"
java_home="${2:?usage: local-base.sh <output dir> <java home>}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# the modules of a server JRE (Temurin's JRE minus desktop-only ones), so the services find what they would
# find on eclipse-temurin:25-jre: management, JFR, jcmd for diagnosis, DNS naming, the zip file system, crypto
MODULES=java.se,jdk.unsupported,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.charsets,jdk.localedata,jdk.management,\
jdk.management.agent,jdk.management.jfr,jdk.jfr,jdk.jcmd,jdk.attach,jdk.naming.dns,jdk.net,jdk.zipfs,\
jdk.httpserver,jdk.security.auth,jdk.security.jgss,jdk.jdwp.agent,jdk.nio.mapmode
SANDBOX_TOOLS=(/usr/bin/bwrap /usr/bin/setpriv /usr/bin/prlimit /usr/bin/python3 /usr/bin/node)
# loaded by libjllama.so (gpu-worker's llamacpp backend) at run time, so ldd of the JVM does not list them
EXTRA_LIBS=(libstdc++.so.6 libgcc_s.so.1 libgomp.so.1)

die() { printf 'local-base: %s\n' "$*" >&2; exit 1; }
for tool in tar gzip sha256sum ldd "$java_home/bin/jlink"; do command -v "$tool" >/dev/null || die "needs $tool"; done

inputs() {
  sha256sum "${BASH_SOURCE[0]}"
  cat "$java_home/release"
  for t in "${SANDBOX_TOOLS[@]}"; do [[ -e "$t" ]] && ls -lL "$t"; done
  ldconfig -p 2>/dev/null | grep -E 'libc\.so|libstdc\+\+' || true
}
mkdir -p "$out"
stamp="$out/.inputs"
if [[ -f "$out/verigen-base-jre.tar" && -f "$out/verigen-base-sandbox.tar" && -f "$stamp" ]] \
   && diff -q <(inputs) "$stamp" >/dev/null; then
  exit 0
fi
for t in "${SANDBOX_TOOLS[@]}"; do
  [[ -x "$t" ]] || die "$t is missing (./verigen test installs bubblewrap, util-linux, python3 and nodejs)"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/verigen-base.XXXXXX")
trap 'rm -rf "$work"' EXIT

# copy_lib <absolute path>: the file (not the link) at the same path under the root, below /usr (merged /usr)
copy_into() {
  local root="$1" path="$2" target
  target="$root/usr${path#/usr}"
  [[ "$path" == /usr/* ]] || target="$root/usr$path"
  [[ -e "$target" ]] && return 0
  mkdir -p "$(dirname "$target")"
  cp -L "$path" "$target"
}

# every library a binary (or library) needs, transitively, as absolute host paths
needed_libs() {
  ldd "$@" 2>/dev/null | awk '/=> \// { print $3 } /^\t\/[^ ]+ \(/ { print $1 }' | sort -u
}

make_root() {
  local root="$1"
  mkdir -p "$root"/{etc,tmp,proc,sys,dev,opt/java,usr/lib,usr/bin,usr/lib64}
  chmod 1777 "$root/tmp"
  ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"; ln -s usr/bin "$root/bin"
  "$java_home/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files \
    --compress=zip-6 --generate-cds-archive --output "$root/opt/java/openjdk" >/dev/null
  local -a objects=("$root/opt/java/openjdk/bin/java")
  mapfile -t -O 1 objects < <(find "$root/opt/java/openjdk" -name '*.so')
  local lib
  for lib in "${EXTRA_LIBS[@]}"; do
    objects+=("$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64/ && !found { print $NF; found = 1 }')")
  done
  while read -r lib; do
    [[ "$lib" == "$root"* ]] && continue
    copy_into "$root" "$lib"
  done < <(needed_libs "${objects[@]}"; printf '%s\n' "${objects[@]:1}" | grep -v "^$root" || true)
  # users: root, the services' own (10001), and nobody (the code sandbox drops to it)
  printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nverigen:x:10001:10001:verigen:/app:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' > "$root/etc/passwd"
  printf 'root:x:0:\nverigen:x:10001:\nnogroup:x:65534:\n' > "$root/etc/group"
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$root/etc/nsswitch.conf"
  printf 'NAME="verigen local base"\nID=verigen-local\n' > "$root/etc/os-release"
}

add_tools() {
  local root="$1" lib tool; shift
  for tool in "$@"; do copy_into "$root" "$tool"; done
  while read -r lib; do copy_into "$root" "$lib"; done < <(needed_libs "$@")
}

add_python() {
  local root="$1"
  local stdlib
  stdlib=$(/usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
  mkdir -p "$root$(dirname "$stdlib")"
  cp -a "$stdlib" "$root$stdlib"
  find "$root$stdlib" -name '__pycache__' -prune -exec rm -rf {} + 2>/dev/null || true
  rm -rf "$root$stdlib"/{test,idlelib,tkinter,turtledemo,ensurepip} 2>/dev/null || true
  # the extension modules' libraries (ssl, sqlite, ...) are loaded lazily: ldd them too
  local so
  while read -r so; do
    while read -r lib; do copy_into "$root" "$lib"; done < <(needed_libs "$so")
  done < <(find "$root$stdlib" -name '*.so')
}

# write_image <root> <tar> <tag>: one layer, docker-save layout (manifest.json, config, gzipped layer)
write_image() {
  local root="$1" tar="$2" tag="$3" img="$work/img-$RANDOM"
  mkdir -p "$img"
  tar --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 -C "$root" -cf "$img/layer.tar" .
  local diff_id
  diff_id=$(sha256sum "$img/layer.tar" | cut -d' ' -f1)
  gzip -n -1 "$img/layer.tar"
  local layer_digest
  layer_digest=$(sha256sum "$img/layer.tar.gz" | cut -d' ' -f1)
  mv "$img/layer.tar.gz" "$img/$layer_digest.tar.gz"
  cat > "$img/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Env":["PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                  "JAVA_HOME=/opt/java/openjdk","LANG=C.UTF-8"],
           "WorkingDir":"/",
           "Labels":{"org.opencontainers.image.title":"$tag","org.opencontainers.image.description":"Java 25 runtime (jlink) and host libraries: a local stand-in for eclipse-temurin:25-jre"}},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"infra/images/local-base.sh"}]}
JSON
  local config_digest
  config_digest=$(sha256sum "$img/config.json" | cut -d' ' -f1)
  mv "$img/config.json" "$img/$config_digest.json"
  printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s.tar.gz"]}]\n' "$config_digest" "$tag" "$layer_digest" \
    > "$img/manifest.json"
  tar --numeric-owner --owner=0 --group=0 --mtime=@0 -C "$img" -cf "$tar.tmp" manifest.json "$config_digest.json" "$layer_digest.tar.gz"
  mv -f "$tar.tmp" "$tar"
}

make_root "$work/jre"
write_image "$work/jre" "$out/verigen-base-jre.tar" "verigen/base-jre:local"

cp -a "$work/jre" "$work/sandbox"
add_tools "$work/sandbox" "${SANDBOX_TOOLS[@]}"
add_python "$work/sandbox"
write_image "$work/sandbox" "$out/verigen-base-sandbox.tar" "verigen/base-sandbox:local"

inputs > "$stamp"
printf 'local-base: wrote %s and %s\n' "$out/verigen-base-jre.tar" "$out/verigen-base-sandbox.tar"
