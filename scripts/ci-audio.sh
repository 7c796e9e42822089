#!/usr/bin/env bash
# Virtual audio devices for Parley's tests: a private PulseAudio daemon with two
# null sinks.
#   micsink  what is played into it comes back out of micsink.monitor, the
#            default source, so it acts as the microphone;
#   spk      the default sink, the speaker; record spk.monitor to hear it.
#
# Usage:
#   eval "$(scripts/ci-audio.sh start)"   start (or reuse) the daemon, export its env
#   scripts/ci-audio.sh env               print the exports again (fails if not running)
#   scripts/ci-audio.sh status            exit 0 when the daemon answers
#   scripts/ci-audio.sh stop              stop the daemon (no error if it is not running)
#
# The exports are XDG_RUNTIME_DIR (where the daemon's socket lives) and
# ALSA_CONFIG_PATH (scripts/audio-alsa.conf: ALSA sees only the PulseAudio
# devices, which keeps the noise of probing absent sound cards and JACK off stderr).
# PARLEY_AUDIO_DIR picks the state folder (default /tmp/parley-audio), so tests
# that need a daemon of their own (to kill it, say) can run a second one.
# It installs nothing: CI installs pulseaudio, libasound2-plugins, espeak-ng and sox.
# Only the export lines go to stdout; everything else goes to stderr.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
state="${PARLEY_AUDIO_DIR:-/tmp/parley-audio}"
runtime="$state/runtime"
alsa_conf="$here/audio-alsa.conf"

say() { echo "ci-audio: $*" >&2; }

exports() {
  printf "export XDG_RUNTIME_DIR='%s'\n" "$runtime"
  printf "export ALSA_CONFIG_PATH='%s'\n" "$alsa_conf"
}

answers() {
  XDG_RUNTIME_DIR="$runtime" timeout 5 pactl info >/dev/null 2>&1
}

require() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || { say "$tool is not installed (apt-get install pulseaudio libasound2-plugins)"; exit 127; }
  done
}

start() {
  require pulseaudio pactl
  mkdir -p "$runtime"
  chmod 700 "$runtime"
  # Test files start this concurrently; the lock makes the second one wait and reuse.
  exec 9>"$state/lock"
  flock -w 30 9 || { say "timed out waiting for the lock on $state"; exit 1; }
  if answers; then
    say "reusing the daemon in $runtime"
  else
    say "starting PulseAudio in $runtime"
    XDG_RUNTIME_DIR="$runtime" pulseaudio --daemonize=yes --fail=yes --exit-idle-time=-1 \
      --realtime=no --high-priority=no --log-target="file:$state/pulse.log" -n \
      --load=module-native-protocol-unix \
      --load="module-null-sink sink_name=spk rate=48000 sink_properties=device.description=Parley-Speaker" \
      --load="module-null-sink sink_name=micsink rate=48000 sink_properties=device.description=Parley-Microphone" \
      2>>"$state/pulse.log" || { say "PulseAudio failed to start; see $state/pulse.log"; exit 1; }
    local tries=0
    until answers; do
      tries=$((tries + 1))
      if [ "$tries" -gt 100 ]; then say "PulseAudio did not answer; see $state/pulse.log"; exit 1; fi
      sleep 0.05
    done
  fi
  XDG_RUNTIME_DIR="$runtime" pactl set-default-sink spk
  XDG_RUNTIME_DIR="$runtime" pactl set-default-source micsink.monitor
  exports
}

stop() {
  [ -d "$runtime" ] || return 0
  if answers; then
    require pulseaudio
    XDG_RUNTIME_DIR="$runtime" pulseaudio --kill 2>/dev/null || true
    local tries=0
    while answers; do
      tries=$((tries + 1))
      if [ "$tries" -gt 100 ]; then say "PulseAudio in $runtime did not stop"; exit 1; fi
      sleep 0.05
    done
    say "stopped PulseAudio in $runtime"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) if answers; then exports; else say "no daemon answers in $runtime"; exit 1; fi ;;
  status) answers ;;
  *) say "usage: $0 start|stop|env|status"; exit 2 ;;
esac
