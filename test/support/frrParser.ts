/**
 * FRR's own parsers as a test oracle for rendered FRR configs.
 *
 *  - `vtysh -C -f FILE` checks the grammar of the whole integrated config (every daemon's
 *    commands); exit 0 = valid, exit 2 = a line was not understood.
 *  - `bgpd -C -f FILE` is the real BGP daemon in dry-run mode: it also validates values (prefix-list
 *    ranges, communities, …) but always exits 0, so its log is scanned for errors. bgpd only knows
 *    its own commands (an unknown one is `[EC 100663304] No such command`), so it is given the
 *    bgpd part of the config; the other lines are blanked to `!` to keep line numbers.
 *
 * Nothing touches the system FRR service: bgpd runs with `-S` (no user/capability change), `-Z`
 * (no zebra), `-n` (no kernel), `-p 0` (no BGP listener), its vty socket, zebra socket and pid file
 * in a temp dir, and the crash-log dir it creates (`/var/tmp/frr/bgpd.<pid>`) is removed after it.
 */
import { runCommand } from "./command";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const VTYSH = "vtysh";
export const BGPD = "/usr/lib/frr/bgpd";
export const FRR_INSTALL_HINT = "FRR is not installed: run `apt-get install -y frr` (Debian 12 ships FRR 8.4)";

export interface FrrCheckResult {
  ok: boolean;
  output: string;
}

/** Top-level commands bgpd itself parses; everything else belongs to zebra, staticd, bfdd, vtysh. */
const BGPD_STANZAS: readonly RegExp[] = [
  /^frr (version|defaults)\b/,
  /^hostname\b/,
  /^log\b/,
  /^ip prefix-list\b/,
  /^ipv6 prefix-list\b/,
  /^bgp (as-path access-list|community-list|large-community-list|extcommunity-list)\b/,
  /^route-map\b/,
  /^router bgp\b/,
  /^end$/,
];

/** Lines of bgpd's log that mean the config was not accepted. */
const BGPD_ERRORS: readonly RegExp[] = [
  /\[EC 100663\d+\]/,
  /^%/m,
  /Configuration failed/i,
  /error processing configuration/i,
];

/** The bgpd part of an integrated config, other lines replaced by `!` so line numbers still match. */
export function bgpdSlice(text: string): string {
  let keep = false;
  return text
    .split("\n")
    .map((line) => {
      if (line === "" || line.startsWith("!")) return line;
      const topLevel = !/^\s/.test(line);
      if (topLevel && line !== "exit") keep = BGPD_STANZAS.some((re) => re.test(line));
      const out = keep ? line : "!";
      if (topLevel && line === "exit") keep = false;
      return out;
    })
    .join("\n");
}

function onPath(cmd: string): boolean {
  if (cmd.includes("/")) return fs.existsSync(cmd);
  return (process.env.PATH ?? "").split(path.delimiter).some((dir) => dir !== "" && fs.existsSync(path.join(dir, cmd)));
}

/** Throws with the install hint when FRR's parsers are not available. */
export function assertFrrInstalled(): void {
  const missing = [VTYSH, BGPD].filter((c) => !onPath(c));
  if (missing.length > 0) throw new Error(`${FRR_INSTALL_HINT} (missing: ${missing.join(", ")})`);
}

/** FRR's checks print to both streams; what matters is all they said, in one text. */
async function run(
  cmd: string,
  args: string[],
): Promise<{ code: number | null; output: string; pid: number | undefined }> {
  const r = await runCommand(cmd, args);
  return { code: r.code, output: r.stdout + r.stderr, pid: r.pid };
}

export async function checkFrrConfig(text: string): Promise<FrrCheckResult> {
  assertFrrInstalled();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "frr-check-"));
  try {
    const full = path.join(dir, "frr.conf");
    const bgp = path.join(dir, "bgpd.conf");
    fs.writeFileSync(full, text);
    fs.writeFileSync(bgp, bgpdSlice(text));

    const vtysh = await run(VTYSH, ["-C", "-f", full]);
    const bgpd = await run(BGPD, [
      "-C",
      "-f",
      bgp,
      "-S",
      "-Z",
      "-n",
      "-p",
      "0",
      "--vty_socket",
      dir,
      "-z",
      path.join(dir, "zserv.api"),
      "-i",
      path.join(dir, "bgpd.pid"),
    ]);
    if (bgpd.pid !== undefined) fs.rmSync(`/var/tmp/frr/bgpd.${bgpd.pid}`, { recursive: true, force: true });

    const bgpdErrors = bgpd.output.split("\n").filter((line) => BGPD_ERRORS.some((re) => re.test(line)));
    const ok = vtysh.code === 0 && bgpd.code === 0 && bgpdErrors.length === 0;
    const output = [
      `vtysh -C -f (exit ${String(vtysh.code)}):`,
      vtysh.output.trimEnd() || "(no output)",
      `bgpd -C -f (exit ${String(bgpd.code)}, ${bgpdErrors.length} error line(s)):`,
      bgpd.output.trimEnd() || "(no output)",
    ].join("\n");
    return { ok, output };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
