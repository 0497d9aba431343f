# Sourced by ./cas, ./test and ./bench: sets JAVA_HOME to a JDK 25 or newer (the host's sandbox
# agent guards JDK 25 internals; plugins and the plugin API still target Java 21).
# Honours JAVA_HOME when it is new enough, else looks under /usr/lib/jvm (newest first; the tests
# point CAS_JVM_ROOT elsewhere). Refuses with one line when there is none.
CAS_MIN_JDK=25

java_feature() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = //p' | head -n 1
}

cas_find_jdk() {
  local candidate v root=${CAS_JVM_ROOT:-/usr/lib/jvm} seen=()
  for candidate in "${JAVA_HOME:-}" $(ls -d "$root"/*/ 2>/dev/null | sort -rV); do
    candidate=${candidate%/}
    case " ${seen[*]-} " in *" $candidate ("*) continue ;; esac
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    v=$(java_feature "$candidate")
    if [ -n "$v" ] && [ "${v%%.*}" -ge "$CAS_MIN_JDK" ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      return 0
    fi
    seen+=("$candidate (${v:-unknown})")
  done
  echo "cas: JDK $CAS_MIN_JDK or newer needed, found ${seen[*]-none}; set JAVA_HOME to one (or install one under $root)" >&2
  return 1
}
