set -u
h=fra-edge-1
say() { printf '%s %s: %s\n' "$(date -u +%H:%M:%S)" "$h" "$*"; }
redact() { sed -E 's/((password|authentication-key|secret)([[:space:]]+(clear|encrypted|[0-9]))?[[:space:]]+)"?[^[:space:]";]+"?/\1<redacted>/g'; }
umask 077
w=$(mktemp -d) || exit 1
trap 'rm -rf "$w"' EXIT
[ -n "${PAC_SSH_KEY:-}" ] || { say "PAC_SSH_KEY is empty: no private key to log in with"; exit 1; }
printf '%s\n' "$PAC_SSH_KEY" > "$w/key"
printf '%s\n' '192.168.100.2 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIlab' > "$w/known_hosts"
o="-o StrictHostKeyChecking=yes -o UserKnownHostsFile=$w/known_hosts"
o="-i $w/key -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=15 $o"
cli() { ssh -T -p 22 $o maps-deploy@192.168.100.2 < "$1" 2>&1; }
put() { scp -q -P 22 $o "$1" "maps-deploy@192.168.100.2:$2"; }
gate() {
  [ -f cli/gate.ts ] || { say "cli/gate.ts is not in $(pwd): the command runs in the project directory (Pulumi starts the command provider there)"; return 1; }
  node scripts/run-ts.js cli/gate.ts --platform junos --router fra-edge-1 --timeout 120 --hold 10 --session frankfurt/a/ipv4,ipv4,192.0.2.4,2,1 --session frankfurt/a/ipv6,ipv6,2001:db8:ffff::4,1,1 -- ssh -T -p 22 $o maps-deploy@192.168.100.2
}
if gate; then exit 0; fi
say "health check failed: the next leg of this metro is not pushed"
exit 1
