/**
 * The byte-by-byte fixtures read by Debian's bgpdump: the fields the cross-check compares (kind, peer,
 * peer ASN, prefix, AS path, origin, next hop) are what our reader gives, AS_SET, RFC 6793 merge and
 * BGP4MP_ET included. Needs bgpdump (`bash .ci/install-daemons`); no root.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PEER_INDEX_TABLE, RIB_IPV4, RIB_IPV6, UPDATE_AS2_ET, UPDATE_AS4 } from "./fixtures";
import { bgpdumpFields, fieldsOfBgpdumpLine, parseBytes } from "./support";

it("bgpdump -m reads every fixture as our reader does", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pac-mrt-"));
  try {
    const file = path.join(dir, "fixtures.mrt");
    const dump = Buffer.concat([PEER_INDEX_TABLE, RIB_IPV4, RIB_IPV6, UPDATE_AS4, UPDATE_AS2_ET]);
    fs.writeFileSync(file, dump);
    let out: string;
    try {
      out = execFileSync("bgpdump", ["-m", "-q", file], { encoding: "utf8" });
    } catch (e) {
      throw new Error(
        `bgpdump did not run (${(e as Error).message}): run \`bash .ci/install-daemons\` (Debian bgpdump)`,
        { cause: e },
      );
    }
    const theirs = out
      .split("\n")
      .map(fieldsOfBgpdumpLine)
      .filter((l) => l !== undefined);
    expect(theirs).toHaveLength(6);
    expect(parseBytes(dump).routes.map(bgpdumpFields)).toEqual(theirs);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
