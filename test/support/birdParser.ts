/**
 * BIRD 2's own parser as a test oracle for rendered BIRD configs.
 *
 * `bird -p -c FILE` parses the config (grammar, symbols, filter code, prefix and ASN sets) and exits:
 * 0 = valid, 1 = the first error as `FILE:LINE:COL message`. It exits before it opens the control
 * socket or touches the kernel (checked with strace: it only reads the file and /etc/iproute2/*); it
 * is still given `-s` with a socket path in a temp dir, so a future BIRD that opened the socket
 * earlier would not touch /run/bird of a BIRD running on the machine.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const BIRD = "bird";
export const BIRD_INSTALL_HINT =
  "BIRD 2 is not installed: run `apt-get install -y bird2` (Debian 12 ships BIRD 2.0.12)";

export interface BirdCheckResult {
  ok: boolean;
  output: string;
}

/** Throws with the install hint when BIRD is not available. */
export function assertBirdInstalled(): void {
  const found = (process.env.PATH ?? "")
    .split(path.delimiter)
    .some((dir) => dir !== "" && fs.existsSync(path.join(dir, BIRD)));
  if (!found) throw new Error(BIRD_INSTALL_HINT);
}

export function checkBirdConfig(text: string): BirdCheckResult {
  assertBirdInstalled();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bird-check-"));
  try {
    const file = path.join(dir, "bird.conf");
    fs.writeFileSync(file, text);
    const r = spawnSync(BIRD, ["-p", "-c", file, "-s", path.join(dir, "bird.ctl")], {
      encoding: "utf8",
      timeout: 30_000,
    });
    const output = `${r.stdout ?? ""}${r.stderr ?? ""}`.trimEnd();
    return {
      ok: r.status === 0 && r.error === undefined,
      output: `bird -p -c (exit ${String(r.status)}):\n${output || "(no output)"}`,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
