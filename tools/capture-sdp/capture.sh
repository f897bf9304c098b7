#!/bin/bash
# Regenerates every SDP fixture in sdp/src/test/resources/fixtures from real peers:
# headless Chromium, Firefox ESR, werift (npm) and aiortc (Debian python3-aiortc).
# Every peer runs inside a fresh network namespace (`unshare -n`) that holds only `lo`
# (the mDNS capture adds a veth pair that exists only inside its own throwaway namespace),
# so nothing reaches the machine's real interfaces. Runs as root because of unshare.
#
# usage: tools/capture-sdp/capture.sh [--no-install] [--out DIR]
#   --no-install  do not run apt-get / npm ci (the tools must already be installed)
#   --out DIR     write fixtures to DIR instead of sdp/src/test/resources/fixtures
# All captures go to a staging directory first; the fixtures are replaced only if every
# capture succeeded, so a failed run leaves the committed fixtures untouched.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$ROOT/sdp/src/test/resources/fixtures"
INSTALL=1
while [ $# -gt 0 ]; do
  case "$1" in
    --no-install) INSTALL=0; shift ;;
    --out) OUT="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

if [ "$(id -u)" != 0 ]; then
  echo "capture.sh must run as root (it uses unshare -n for a loopback-only network namespace)" >&2
  exit 2
fi

log() { echo "[capture.sh $(date -u +%H:%M:%S)] $*"; }

if [ "$INSTALL" = 1 ]; then
  log "installing chromium firefox-esr python3-aiortc (apt) and werift (npm ci)"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium firefox-esr python3-aiortc
  (cd "$HERE" && npm ci --no-audit --no-fund)
fi

for bin in /usr/lib/chromium/chromium firefox-esr node /usr/bin/python3 unshare ip timeout; do
  command -v "$bin" >/dev/null || { echo "missing $bin (run without --no-install)" >&2; exit 2; }
done
[ -d "$HERE/node_modules/werift" ] || { echo "werift not installed: run npm ci in $HERE" >&2; exit 2; }

STAGE="$(mktemp -d /tmp/capture-sdp-stage.XXXXXX)"
trap 'rm -rf "$STAGE"' EXIT

# Runs "$@" inside a new network namespace holding only lo (up). `timeout` is a last-resort
# bound; the drivers bound themselves at 60 s and kill their browser's process group.
in_netns() {
  timeout --kill-after=10 120 unshare -n sh -c 'ip link set lo up && exec "$@"' sh "$@"
}
# Same, plus a veth pair that lives only inside this namespace, so Chromium has a non-loopback
# address (198.18.0.1, benchmarking range) to hide behind an mDNS name. Packets sent on veth0
# arrive on veth1 in the same namespace and go nowhere else.
in_netns_with_veth() {
  timeout --kill-after=10 120 unshare -n sh -c '
    ip link set lo up &&
    ip link add veth0 type veth peer name veth1 &&
    ip addr add 198.18.0.1/24 dev veth0 &&
    ip link set veth1 up && ip link set veth0 up &&
    ip route add default via 198.18.0.2 dev veth0 &&
    exec "$@"' sh "$@"
}

BR="node $HERE/browser-run.js --out $STAGE"
START=$(date +%s)

log "chromium: data-channel offer + answer (getUserMedia audio first, so loopback is gathered)"
in_netns $BR --browser chromium --prefix chromium --stem datachannel --gum audio --answer 1
log "chromium: audio+video+data offer"
in_netns $BR --browser chromium --prefix chromium --stem av --gum av --tracks 1
log "chromium: data-channel offer with mDNS host candidate (no media permission, no fake-UI flags)"
in_netns_with_veth $BR --browser chromium --prefix chromium --stem mdns --gum none \
  --chromium-fake-media 0 --allow-iface veth0 --allow-iface veth1
log "firefox: data-channel offer + answer"
in_netns $BR --browser firefox --prefix firefox --stem datachannel --gum audio --answer 1
log "firefox: audio+video+data offer"
in_netns $BR --browser firefox --prefix firefox --stem av --gum av --tracks 1
log "werift: offer + answer"
in_netns node "$HERE/werift-run.js" --out "$STAGE"
log "aiortc: legacy DTLS/SCTP offer + answer"
in_netns /usr/bin/python3 "$HERE/aiortc-run.py" "$STAGE"

# Cross-peer answers: each peer answers the data-channel offers the others produced above
# (offer file <peer>-offer.sdp or <peer>-datachannel-offer.sdp in the staging directory).
offer_of() { if [ -f "$STAGE/$1-datachannel-offer.sdp" ]; then echo "$STAGE/$1-datachannel-offer.sdp"; else echo "$STAGE/$1-offer.sdp"; fi; }
CROSS=""
for pair in chromium:firefox chromium:werift chromium:aiortc firefox:chromium firefox:werift firefox:aiortc \
            werift:chromium werift:firefox; do
  answerer="${pair%%:*}"; offerer="${pair##*:}"; name="$answerer-answer-to-$offerer-offer"
  log "$answerer: answer to the $offerer offer"
  if [ "$answerer" = werift ]; then
    in_netns node "$HERE/werift-run.js" --out "$STAGE" --answer-to "$(offer_of "$offerer")" --answer-name "$name"
  else
    in_netns $BR --browser "$answerer" --prefix "$answerer" --stem "answer-to-$offerer" --gum audio \
      --answer-to "$(offer_of "$offerer")" --answer-name "$name"
  fi
  CROSS="$CROSS $name"
done

EXPECTED="chromium-datachannel-offer chromium-datachannel-answer chromium-av-offer chromium-mdns-offer
firefox-datachannel-offer firefox-datachannel-answer firefox-av-offer werift-offer werift-answer $CROSS"
for stem in $EXPECTED; do
  [ -s "$STAGE/$stem.sdp" ] && [ -f "$STAGE/$stem.candidates.txt" ] || { echo "missing capture $stem" >&2; exit 1; }
done
for stem in aiortc-offer aiortc-answer; do
  [ -s "$STAGE/$stem.sdp" ] || { echo "missing capture $stem" >&2; exit 1; }
done

CHROMIUM_VERSION="$(/usr/lib/chromium/chromium --version 2>/dev/null | sed 's/ *built on.*//')"
FIREFOX_VERSION="$(firefox-esr --version 2>/dev/null)"
WERIFT_VERSION="werift $(node -e "console.log(JSON.parse(require('fs').readFileSync(process.argv[1],'utf8')).version)" "$HERE/node_modules/werift/package.json") on node $(node --version)"
AIORTC_VERSION="aiortc $(/usr/bin/python3 -c 'import aiortc; print(aiortc.__version__)') (Debian python3-aiortc), aioice $(/usr/bin/python3 -c 'import aioice; print(aioice.__version__)')"
OS_VERSION="Debian $(cat /etc/debian_version)"
DATE="$(date -u +%Y-%m-%d)"

cat > "$STAGE/README.md" <<EOF
# Captured SDP fixtures (never hand-edited)

Written by \`tools/capture-sdp/capture.sh\` (which runs browser-run.js, werift-run.js and aiortc-run.py next to it) on $DATE ($OS_VERSION), exactly as each peer produced them.
Regenerate with \`sudo tools/capture-sdp/capture.sh\` (see tools/capture-sdp/README.md); every
rerun changes ufrags, passwords, fingerprints, ports and session ids.

- \`*.sdp\`: the peer's \`localDescription.sdp\` string after ICE gathering completed, byte for byte
  (CRLF line endings as the peer produced them).
- \`*.candidates.txt\`: the trickled \`event.candidate.candidate\` strings for that description, one per
  line, LF-terminated, in arrival order (no \`a=\` prefix; end-of-candidates / empty candidates left
  out). For the audio+video offers the candidates of all m-sections are interleaved (sdpMid is not
  recorded). aiortc does not trickle, so it has none.
- Every peer ran in a fresh network namespace holding only \`lo\`; so the candidates are
  127.0.0.1 (and ::1 for Firefox) host candidates, except \`chromium-mdns-offer\` (see below).

| File | Peer | How |
|------|------|-----|
| chromium-datachannel-offer.sdp, .candidates.txt | $CHROMIUM_VERSION, headless | \`getUserMedia({audio})\` (fake device) so loopback is gathered, then \`createDataChannel('data')\`, offer |
| chromium-datachannel-answer.sdp, .candidates.txt | $CHROMIUM_VERSION | a second RTCPeerConnection in the same page answering the offer above (the pair then connected) |
| chromium-av-offer.sdp, .candidates.txt | $CHROMIUM_VERSION | fake audio + video tracks from \`getUserMedia\` added, plus the data channel (BUNDLE 0 1 2) |
| chromium-mdns-offer.sdp, .candidates.txt | $CHROMIUM_VERSION | no media permission and no fake-UI flags; namespace has a private veth pair with 198.18.0.1, which Chromium hides behind a \`<uuid>.local\` mDNS name (loopback is not gathered then) |
| firefox-datachannel-offer.sdp, .candidates.txt | $FIREFOX_VERSION, headless | fresh profile (\`media.peerconnection.ice.loopback=true\`, fake media, permissions granted), \`getUserMedia({audio})\`, data channel, offer |
| firefox-datachannel-answer.sdp, .candidates.txt | $FIREFOX_VERSION | a second RTCPeerConnection in the same page answering the offer above (the pair then connected) |
| firefox-av-offer.sdp, .candidates.txt | $FIREFOX_VERSION | fake audio + video tracks plus the data channel |
| werift-offer.sdp, .candidates.txt | $WERIFT_VERSION | \`iceServers: []\`, \`iceAdditionalHostAddresses: ['127.0.0.1']\`, \`iceUseIpv6: false\`, data channel, offer |
| werift-answer.sdp, .candidates.txt | $WERIFT_VERSION | a second werift peer in the same process answering the offer above (same process => same DTLS certificate fingerprint) |
| aiortc-offer.sdp | $AIORTC_VERSION | legacy \`m=application <port> DTLS/SCTP 5000\` + \`a=sctpmap\` form; \`iceServers=[]\`, aioice host list patched to 127.0.0.1 |
| aiortc-answer.sdp | $AIORTC_VERSION | a second aiortc peer answering the offer above |
| X-answer-to-Y-offer.sdp, .candidates.txt | peer X (versions above) | X answering Y's data-channel offer from this directory (\`Y-datachannel-offer.sdp\` or \`Y-offer.sdp\`); only the answer is created, nothing connects. Pairs: $(echo $CROSS | sed 's/ /, /g') |
EOF

mkdir -p "$OUT"
cp "$STAGE"/*.sdp "$STAGE"/*.candidates.txt "$STAGE/README.md" "$OUT/"
log "done in $(( $(date +%s) - START )) s; fixtures written to $OUT"
