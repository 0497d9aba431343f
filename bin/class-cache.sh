# Sourced by ./cas for `cas server`: the host's class cache (the JDK's AOT cache, JEP 483/514/515),
# which lets the JVM map the host's classes already loaded and linked, with method profiles, instead
# of reading, verifying and linking them from the jars at every start.
#
# cas_class_cache DATA CLASSPATH SANDBOX JVM-OPTION…
#   Appends to the array cas_class_cache_opts the options that use the cache for this class path,
#   JDK and JVM options, when one is there; when none is, starts one training run in the background
#   (nice 19) and the host starts without a cache this time.
#
# The cache lives in DATA/class-cache/host-KEY.aot. KEY hashes everything the cache depends on: the
# JDK (its release file, its modules image and libjvm), the JVM options, and for every jar of the class path and of the sandbox agent its path, size,
# modification and change times and inode. A rebuilt or replaced jar gives a new key, so a cache is
# never used with jars other than those it was made from (the JVM's own check compares paths and
# sizes only); the next start trains a new one and the old ones are removed.
#
# Failure is never fatal: the JVM runs without the cache when the file is unusable (truncated,
# corrupt — -XX:+VerifySharedSpaces checks its checksums —, for other options or class path).
# CAS_CLASS_CACHE=off starts without a cache and trains none.

cas_class_cache_opts=()

cas_class_cache() {
  local data=$1 cp=$2 sandbox=$3
  shift 3
  local jvm_opts=("$@")
  case "${CAS_CLASS_CACHE:-on}" in
    off) return 0 ;;
    on) ;;
    *)
      echo "cas: CAS_CLASS_CACHE must be on (the default) or off, not [$CAS_CLASS_CACHE]" >&2
      exit 2
      ;;
  esac
  local dir key jars=() entries=() entry f
  dir=$(realpath -m "$data/class-cache")
  # The wildcard entries of the class path as the java launcher expands them (every *.jar).
  IFS=: read -r -a entries <<<"$cp"
  for entry in "${entries[@]}"; do
    case "$entry" in
      */\*) for f in "${entry%\*}"*.jar; do [ -e "$f" ] && jars+=("$f"); done ;;
      *) jars+=("$entry") ;;
    esac
  done
  if [ "$sandbox" = on ]; then
    jars+=("$here/cas-sandbox/target/cas-sandbox.jar" "$here/cas-sandbox/target/cas-sandbox-checker.jar")
    for f in "$here"/cas-sandbox/target/lib/*.jar; do [ -e "$f" ] && jars+=("$f"); done
  fi
  key=$( {
    cat "$JAVA_HOME/release" 2>/dev/null
    stat -L -c '%n %s %Y %Z %i' "$JAVA_HOME/lib/modules" "$JAVA_HOME/lib/server/libjvm.so" 2>/dev/null
    printf '%s\n' "$JAVA_HOME" "$cp" "$sandbox" "${jvm_opts[@]}"
    stat -L -c '%n %s %Y %Z %i' "${jars[@]}" 2>/dev/null || true
  } | sha256sum | cut -c1-32)
  local cache="$dir/host-$key.aot"
  # Threat: the cache is mapped into the host's JVM as class metadata and code, so only a file this
  # user owns, in a folder only this user can write, is used; anything else is ignored (and a new
  # cache is not trained over someone else's folder).
  if [ -e "$dir" ] && { [ ! -O "$dir" ] || [ -n "$(find "$dir" -maxdepth 0 -perm /022)" ]; }; then
    echo "cas: class cache: [$dir] is not owned by this user or is writable by others; starting without it" >&2
    return 0
  fi
  if [ -f "$cache" ] && [ -O "$cache" ] && [ -z "$(find "$cache" -maxdepth 0 -perm /022)" ]; then
    cas_class_cache_opts=(-XX:AOTCache="$cache" -XX:+VerifySharedSpaces)
    return 0
  fi
  cas_class_cache_train "$dir" "$cache" "$cp" "$sandbox" "${jvm_opts[@]}"
}

# One training run: the host on a fresh scratch data folder (its own embedded PostgreSQL on a free
# port, no plugins installed, none of this host's settings or secrets: the environment is emptied)
# started, asked for its health and admin page, and stopped; the JVM writes the cache as it exits.
# The sandbox agent cannot be loaded while training (the JDK's AOT assembly fails on the JDK classes
# the agent rewrites), and no plugin code runs there; `--add-modules java.instrument` stands for the
# agent's module so the cache matches the options of a sandboxed start. The cache holds classes
# only, no method profiles (-XX:-AOTRecordTraining): profiles of a start without plugins made the
# restart of a host with 100 plugins slower than classes alone (BENCHMARKS.md). The cache is moved
# into place only when the training JVM succeeded.
cas_class_cache_train() {
  local dir=$1 cache=$2 cp=$3 sandbox=$4
  shift 4
  local opts=() o
  for o in "$@"; do
    case "$o" in -javaagent:*) ;; *) opts+=("$o") ;; esac
  done
  [ "$sandbox" = on ] && opts+=(--add-modules java.instrument)
  (umask 077 && mkdir -p "$dir") || return 0
  # One training at a time: a start while one runs does without; one left by a killed launcher is
  # removed after 10 minutes.
  find "$dir" -maxdepth 1 -name 'training-*' -mmin +10 -exec rm -rf {} + 2>/dev/null || true
  [ -z "$(find "$dir" -maxdepth 1 -name 'training-*')" ] || return 0
  local tmp="$dir/training-$$"
  rm -rf "$tmp"
  mkdir -p "$tmp/data" || return 0
  local detach=()
  command -v setsid >/dev/null && detach=(setsid)
  (
    cd "$tmp" || exit 0
    if "${detach[@]+"${detach[@]}"}" env -i PATH="$PATH" HOME="$HOME" nice -n 19 "$JAVA_HOME/bin/java" "${opts[@]}" \
      -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining \
      -XX:AOTCacheOutput="$tmp/host.aot" -Dcas.class-cache.training=true \
      -cp "$cp" dev.cas.server.CasServer --port 0 --data "$tmp/data" >"$tmp/training.log" 2>&1 &&
      grep -q '^AOTCache creation is complete' "$tmp/training.log"; then
      mv "$tmp/training.log" "$dir/training.log"
      find "$dir" -maxdepth 1 -name 'host-*.aot' -delete
      mv "$tmp/host.aot" "$cache"
    else
      mv "$tmp/training.log" "$dir/training-failed.log" 2>/dev/null
    fi
    cd / && rm -rf "$tmp"
  ) </dev/null >/dev/null 2>&1 &
}
