/**
 * The network guard every test file runs behind (test/support/netGuard.ts): only 127.0.0.1.
 * The refused attempts here go to loopback addresses other than 127.0.0.1, so even a broken guard
 * would send nothing off the machine.
 */
import * as net from "net";
import { connectTarget, isAllowed, takeRefusedConnections } from "../support/netGuard";

afterEach(() => takeRefusedConnections());

function attempt(options: net.NetConnectOpts): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(options);
    socket.on("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.on("error", (e) => resolve(e.message));
  });
}

describe("the network guard", () => {
  it.each<[unknown[], string | undefined]>([
    [[{ host: "169.254.169.254", port: 80 }], "169.254.169.254:80"],
    [[[{ host: "management.azure.com", port: 443 }, () => undefined]], "management.azure.com:443"],
    [[443, "127.0.0.1"], "127.0.0.1:443"],
    [[8080], "localhost:8080"],
    [[{ port: 8080 }], "localhost:8080"],
    [[{ path: "/run/frr/bgpd.vty" }], undefined],
    [["/tmp/jest.sock"], undefined],
  ])("reads where connect(%j) goes: %s", (args, target) => {
    expect(connectTarget(args)).toBe(target);
  });

  it.each([
    ["127.0.0.1:443", true],
    ["localhost:443", false],
    ["::1:443", false],
    ["127.0.0.2:443", false],
    ["169.254.169.254:80", false],
  ])("%s allowed: %s", (target, allowed) => {
    expect(isAllowed(target)).toBe(allowed);
  });

  it("refuses a connection to anything but 127.0.0.1 before it is made, and records it", async () => {
    const server = net.createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      expect(await attempt({ host: "127.0.0.1", port })).toBe("connected");
      expect(await attempt({ host: "127.0.0.2", port })).toBe(
        `network guard: a connection to 127.0.0.2:${port} was refused; tests talk to 127.0.0.1 only`,
      );
      expect(await attempt({ host: "localhost", port })).toContain("network guard");
      expect(takeRefusedConnections()).toEqual([`127.0.0.2:${port}`, `localhost:${port}`]);
    } finally {
      server.close();
    }
  });
});
