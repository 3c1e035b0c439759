/**
 * FRR's own parsers accept every FRR config we render. Not skipped when FRR is missing: the test
 * fails with the install hint, because an unparsed config must never look like a passing one.
 */
import { createRenderer, loadTemplateSources, redactingResolver } from "../../render";
import type { RouterPlan } from "../../plan/model";
import { assertFrrInstalled, bgpdSlice, checkFrrConfig } from "../support/frrParser";
import { CONFIG_VARIANTS as VARIANTS, fixtureResolver, frrRouterPlan } from "../fixtures/routerPlan";

const renderer = createRenderer(loadTemplateSources());
const frrText = (r: RouterPlan, redact = false): string =>
  renderer.render(r, redact ? redactingResolver : fixtureResolver).text;

describe("FRR's parsers (vtysh -C, bgpd -C)", () => {
  it("are installed (otherwise: apt-get install -y frr)", () => {
    assertFrrInstalled();
  });

  it.each(VARIANTS)("accept the rendered FRR config: %s", async (_name, change) => {
    const r = frrRouterPlan();
    change(r);
    for (const text of [frrText(r), frrText(r, true)]) {
      const result = await checkFrrConfig(text);
      if (!result.ok) throw new Error(`FRR rejected the rendered config:\n${result.output}\n--- config ---\n${text}`);
      expect(result.ok).toBe(true);
    }
  });

  it("rejects a line FRR does not know (negative control: vtysh exit 2)", async () => {
    const text = frrText(frrRouterPlan()).replace(
      "router bgp 64500\n",
      "router bgp 64500\n neighbor 192.0.2.0 frobnicate\n",
    );
    const result = await checkFrrConfig(text);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/vtysh -C -f \(exit 2\)/);
    expect(result.output).toMatch(/\[EC 100663304\]/);
  });

  it("rejects a value only bgpd validates (negative control: prefix-list le below the length)", async () => {
    const text = frrText(frrRouterPlan()).replace("permit 10.0.0.0/8 le 32", "permit 10.0.0.0/8 le 4");
    const result = await checkFrrConfig(text);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/Invalid prefix range/);
  });
});

describe("bgpdSlice", () => {
  it("keeps bgpd's stanzas, blanks the others and keeps line numbers", () => {
    const text = frrText(frrRouterPlan());
    const slice = bgpdSlice(text);
    const [a, b] = [text.split("\n"), slice.split("\n")];
    expect(b).toHaveLength(a.length);
    b.forEach((line, i) => expect(line === a[i] || line === "!").toBe(true));
    expect(slice).toMatch(/^router bgp 64500$/m);
    expect(slice).toMatch(/^route-map MAPS-IN-V4 deny 10$/m);
    expect(slice).toMatch(/^ip prefix-list MAPS-BOGONS-V4 /m);
    expect(slice).not.toMatch(/^(interface|ip route|ipv6 route|bfd|service)\b/m);
    expect(slice).not.toMatch(/^\s+(ip address|detect-multiplier)/m);
  });
});
