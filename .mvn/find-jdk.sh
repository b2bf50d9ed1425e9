#!/bin/sh
# Prints the home folder of a JDK 21 or newer, for ./mvnw and .ci/run.
# Order: $JAVA_HOME if it is one; else the java on the PATH; else the newest JDK in the usual
# install folders. Exits 1 with an explanation on stderr when there is none.
min=21

major_of() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1)
  case "$v" in 1.*) v=${v#1.} ;; esac
  v=${v%%.*}
  [ -n "$v" ] && printf '%s\n' "$v"
}

usable() {
  m=$(major_of "$1") || return 1
  [ "$m" -ge "$min" ] 2>/dev/null
}

if [ -n "${JAVA_HOME:-}" ] && usable "$JAVA_HOME"; then
  printf '%s\n' "$JAVA_HOME"; exit 0
fi
if command -v java >/dev/null 2>&1; then
  path_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  if usable "$path_home"; then printf '%s\n' "$path_home"; exit 0; fi
fi

best=""; best_major=0
for home in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
            "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
  [ -d "$home" ] || continue
  m=$(major_of "$home") || continue
  if [ "$m" -ge "$min" ] && [ "$m" -gt "$best_major" ]; then best=$home; best_major=$m; fi
done
if [ -n "$best" ]; then printf '%s\n' "$best"; exit 0; fi

found=${JAVA_HOME:-$(command -v java 2>/dev/null || echo none)}
echo "resque-pool needs a JDK $min or newer to build; found only: $found." >&2
echo "Install a JDK $min+ (for example Temurin 21 or 25) and set JAVA_HOME to it." >&2
exit 1
