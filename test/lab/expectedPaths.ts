/**
 * Where the lab stack's traffic must go, stated for a reader to check (test/lab/lab.test.ts asserts
 * it against the real forwarding; test/lab/backbone.test.ts checks it against the derivation in
 * paths.ts, so the two cannot drift apart).
 *
 * The customer of each metro is dual-homed and enters the SP at the metro's leg-a router; the
 * service host's replies enter Microsoft at the Microsoft edge facing that leg. Both backbones run
 * IS-IS with metro-local links at metric 1 and long-haul links at the great-circle distance in km
 * between the metros' coordinates (stacks/lab/metros/*.yaml):
 *
 *   amsterdam – london     358      so the nearest metro of amsterdam is london,
 *   amsterdam – frankfurt  364      of frankfurt amsterdam (364 < 638),
 *   frankfurt – london     638      of london amsterdam (358 < 638).
 *
 * One leg down: the metro's other leg (metric 1). A whole metro down: the nearest metro, reached
 * over the long-haul link of the same plane (leg a to leg a).
 */
export interface PathPair {
  /** customer → … → service */
  forward: string;
  /** service → … → customer */
  back: string;
}

export interface MetroExpectations {
  /** All legs up: the metro's own leg, both ways (Peering Service's nearest edge). */
  nominal: PathPair;
  /** The leg the customer enters over is down (link down or silent failure). */
  legDown: PathPair & { failed: string[] };
  /** Both legs of the metro are down. */
  metroDown: PathPair & { failed: string[] };
}

export const LAB_STACK_PATHS: Record<string, MetroExpectations> = {
  amsterdam: {
    nominal: {
      forward: "customer-amsterdam → ams-edge-1 → leg amsterdam/a → msft-amsterdam-a → service",
      back: "service → msft-amsterdam-a → leg amsterdam/a → ams-edge-1 → customer-amsterdam",
    },
    legDown: {
      failed: ["amsterdam/a"],
      forward: "customer-amsterdam → ams-edge-1 → ams-edge-2 → leg amsterdam/b → msft-amsterdam-b → service",
      back: "service → msft-amsterdam-a → msft-amsterdam-b → leg amsterdam/b → ams-edge-2 → customer-amsterdam",
    },
    metroDown: {
      failed: ["amsterdam/a", "amsterdam/b"],
      forward: "customer-amsterdam → ams-edge-1 → lon-edge-1 → leg london/a → msft-london-a → service",
      back: "service → msft-amsterdam-a → msft-london-a → leg london/a → lon-edge-1 → ams-edge-1 → customer-amsterdam",
    },
  },
  frankfurt: {
    nominal: {
      forward: "customer-frankfurt → fra-edge-1 → leg frankfurt/a → msft-frankfurt-a → service",
      back: "service → msft-frankfurt-a → leg frankfurt/a → fra-edge-1 → customer-frankfurt",
    },
    legDown: {
      failed: ["frankfurt/a"],
      forward: "customer-frankfurt → fra-edge-1 → fra-edge-2 → leg frankfurt/b → msft-frankfurt-b → service",
      back: "service → msft-frankfurt-a → msft-frankfurt-b → leg frankfurt/b → fra-edge-2 → customer-frankfurt",
    },
    metroDown: {
      failed: ["frankfurt/a", "frankfurt/b"],
      forward: "customer-frankfurt → fra-edge-1 → ams-edge-1 → leg amsterdam/a → msft-amsterdam-a → service",
      back: "service → msft-frankfurt-a → msft-amsterdam-a → leg amsterdam/a → ams-edge-1 → fra-edge-1 → customer-frankfurt",
    },
  },
  london: {
    nominal: {
      forward: "customer-london → lon-edge-1 → leg london/a → msft-london-a → service",
      back: "service → msft-london-a → leg london/a → lon-edge-1 → customer-london",
    },
    legDown: {
      failed: ["london/a"],
      forward: "customer-london → lon-edge-1 → lon-edge-2 → leg london/b → msft-london-b → service",
      back: "service → msft-london-a → msft-london-b → leg london/b → lon-edge-2 → customer-london",
    },
    metroDown: {
      failed: ["london/a", "london/b"],
      forward: "customer-london → lon-edge-1 → ams-edge-1 → leg amsterdam/a → msft-amsterdam-a → service",
      back: "service → msft-london-a → msft-amsterdam-a → leg amsterdam/a → ams-edge-1 → lon-edge-1 → customer-london",
    },
  },
};
