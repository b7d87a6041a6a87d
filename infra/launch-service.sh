#!/usr/bin/env bash
# Starts one service JVM for ./verigen up from the JDK's ahead-of-time cache (JEP 483/514), so the services start
# fast with the full JIT instead of being held to C1 (-XX:TieredStopAtLevel=1) for a quick start.
#
#   launch-service.sh <state-dir> <name> <exec-jar> <java> <jvm flags...>
#
# The class-loading cache needs classes on a plain class path, not nested in the executable jar, so the jar is
# extracted once per build (Spring Boot's `-Djarmode=tools extract`) to <state-dir>/aot/<name>/: one folder per
# service, not per jar, since two services may run one jar (the gpu-worker pools) with settings of their own and
# start at the same moment. The first start
# after a build is a training run: the application context is refreshed and the JVM exits there
# (-Dspring.context.exit=onRefresh: beans made, nothing listening, no Kafka consumer started), writing the cache
# (-XX:AOTCacheOutput); then the service starts with -XX:AOTCache. A cache that cannot be made leaves the service to
# start without one. VERIGEN_AOT=0 starts the executable jar as it is.
#
# The JVM flags must carry -Dverigen.process=<name> (how ./verigen finds its processes); they are the same for the
# training run and the service, as the cache requires. Ends by exec-ing the service JVM, so its pid is this script's.
set -uo pipefail

state="$1" name="$2" jar="$3" java="$4"
shift 4
flags=("$@")

if [[ "${VERIGEN_AOT:-1}" == 0 ]]; then
  exec "$java" "${flags[@]}" -jar "$jar"
fi

dir="$state/aot/$name"
app="$dir/app/$(basename "$jar")"
cache="$dir/app.aot"

if [[ ! -f "$dir/extracted" || "$jar" -nt "$dir/extracted" ]]; then
  rm -rf "$dir"
  mkdir -p "$dir"
  if ! "$java" -Djarmode=tools -jar "$jar" extract --destination "$dir/app" >"$dir/extract.log" 2>&1; then
    echo "verigen: could not extract $jar for the AOT cache (see $dir/extract.log); starting it as it is"
    exec "$java" "${flags[@]}" -jar "$jar"
  fi
  touch "$dir/extracted"
fi

if [[ ! -f "$cache" ]]; then
  started=$SECONDS
  echo "verigen: training run for the AOT cache of $name (once per build)"
  "$java" "${flags[@]}" -XX:AOTCacheOutput="$cache" -Dspring.context.exit=onRefresh -jar "$app" \
    >"$dir/training.log" 2>&1
  if [[ -f "$cache" ]]; then
    echo "verigen: AOT cache written in $((SECONDS - started)) s: $cache"
  else
    echo "verigen: no AOT cache was written (see $dir/training.log); starting without one"
  fi
fi

if [[ -f "$cache" ]]; then
  exec "$java" "${flags[@]}" -XX:AOTCache="$cache" -jar "$app"
fi
exec "$java" "${flags[@]}" -jar "$app"
