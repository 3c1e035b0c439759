/**
 * A certificate authority made for one test run, and a server certificate it signs for 127.0.0.1.
 *
 * The Azure SDK's bearer-token policy refuses to send a token over plain HTTP, so the fake ARM
 * endpoint speaks HTTPS, and a client trusts it only by being handed this CA (never by turning
 * certificate checks off). Node.js cannot issue X.509 certificates itself, so the OpenSSL CLI does
 * (Debian's `openssl`, on every machine here); keys are P-256, valid for a day, and live in a
 * temporary folder that `remove()` deletes.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface TestCa {
  /** The folder holding the files below. */
  dir: string;
  /** The CA certificate (PEM): what a client trusts (`--ca <caFile>`). */
  caPem: string;
  caFile: string;
  /** The server's certificate (PEM, signed by the CA, SAN IP:127.0.0.1) and its key. */
  certPem: string;
  keyPem: string;
  remove(): void;
}

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

export function makeTestCa(commonName = "peering-as-code test CA"): TestCa {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pac-ca-"));
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  openssl(
    [
      "req",
      "-x509",
      ...ec,
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "1",
      "-subj",
      `/CN=${commonName}`,
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ],
    dir,
  );
  openssl(["req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"], dir);
  fs.writeFileSync(
    path.join(dir, "server.ext"),
    [
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature",
      "extendedKeyUsage=serverAuth",
      "subjectAltName=IP:127.0.0.1",
      "",
    ].join("\n"),
  );
  openssl(
    [
      "x509",
      "-req",
      "-in",
      "server.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "server.pem",
      "-days",
      "1",
      "-extfile",
      "server.ext",
    ],
    dir,
  );
  const read = (f: string) => fs.readFileSync(path.join(dir, f), "utf8");
  return {
    dir,
    caPem: read("ca.pem"),
    caFile: path.join(dir, "ca.pem"),
    certPem: read("server.pem"),
    keyPem: read("server.key"),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
