# Sourced by ./longkv and scripts/test: sets JAVA_HOME to a JDK >= 25 (JAVA_HOME if it qualifies, else the newest found).
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'; }

find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(java_major "$JAVA_HOME")" -ge 25 ] 2>/dev/null; then
    echo "$JAVA_HOME"; return
  fi
  local best="" best_version=0 dir version
  for dir in /usr/lib/jvm/* /opt/java/* "$HOME"/.sdkman/candidates/java/*; do
    [ -x "$dir/bin/javac" ] || continue
    version="$(java_major "$dir")"
    if [ -n "$version" ] && [ "$version" -ge 25 ] 2>/dev/null && [ "$version" -gt "$best_version" ]; then
      best="$dir"; best_version="$version"
    fi
  done
  [ -n "$best" ] || { echo "longkv: no JDK 25 or newer found; install one (e.g. Temurin 25) or set JAVA_HOME" >&2; return 1; }
  echo "$best"
}

JAVA_HOME="$(find_jdk)" || exit 1
export JAVA_HOME
