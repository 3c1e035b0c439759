/**
 * registered-prefixes: what the SP registers with Peering Service must be routable public space that
 * Microsoft can validate: no bogons, nothing longer than /24 or /48, no prefix overlapping another,
 * each originated by an ASN registered for the SP (its PeerAsn, or a RegisteredAsn on any of its
 * peerings), and at least one IPv4 /24 or shorter. The origin ASN is the `-as<N>` suffix of
 * `registeredPrefixName`. That each is registered once, and where, is the `registrations` rule's.
 */
import { findOverlaps, familyOf, parsePrefix, type Prefix } from "../../plan/addressing";
import { originAsnOf } from "../../plan/peeringTags";
import { asnProblem, bogonOverlaps } from "./numbers";
import { TYPES, type PolicyResource, type StackRule } from "./types";
import { integer, inventoryFiles, peeringsOf, text } from "./views";

export interface RegisteredPrefixesConfig {
  allowDocumentationRanges: boolean;
  maxLengthV4: number;
  maxLengthV6: number;
}

interface Registration {
  resource: PolicyResource;
  prefix: Prefix;
  peeringName: string;
  metro: string;
  origin?: number;
}

export const registeredPrefixes: StackRule<RegisteredPrefixesConfig> = {
  kind: "stack",
  name: "registered-prefixes",
  description:
    "Registered prefixes are public, non-bogon, no longer than /24 (IPv4) or /48 (IPv6), not overlapping, originated by a registered ASN of the SP; at least one IPv4 /24.",
  enforcementLevel: "mandatory",
  config: {
    allowDocumentationRanges: {
      type: "boolean",
      default: false,
      description: "Accept documentation prefixes (RFC 5737, RFC 3849) and ASNs (RFC 5398): lab stacks only.",
    },
    maxLengthV4: {
      type: "integer",
      minimum: 8,
      maximum: 24,
      default: 24,
      description: "Longest IPv4 prefix that may be registered (Microsoft accepts /24 or shorter).",
    },
    maxLengthV6: {
      type: "integer",
      minimum: 16,
      maximum: 48,
      default: 48,
      description: "Longest IPv6 prefix that may be registered (/48 or shorter).",
    },
  },
  validate(resources, config, report) {
    const sp = inventoryFiles(resources[0]?.urn).sp;
    const metroOf = new Map(
      peeringsOf(resources).flatMap((p) => (p.peeringName ? [[p.peeringName, p.metro] as const] : [])),
    );
    const spAsns = resources.filter((r) => r.type === TYPES.peerAsn).flatMap((r) => integer(r.props.peerAsn) ?? []);
    // An origin ASN is registered once, on one peering (its key serves every location).
    const registeredAsns = new Set(
      resources.flatMap((r) => (r.type === TYPES.registeredAsn ? (integer(r.props.asn) ?? []) : [])),
    );

    const registrations: Registration[] = [];
    for (const r of resources) {
      if (r.type !== TYPES.registeredPrefix) continue;
      const peeringName = text(r.props.peeringName) ?? "(no peering)";
      const metro = metroOf.get(peeringName) ?? peeringName;
      const raw = text(r.props.prefix);
      const parsed = raw === undefined ? undefined : parsePrefix(raw, familyOf(raw));
      if (!parsed || !parsed.ok) {
        report(
          `metro ${metro}: registered prefix ${JSON.stringify(raw ?? "")} ${parsed && !parsed.ok ? `${parsed.message}. Fix: ${parsed.fix}` : `is not set. Fix: list it in ${sp} prefixes`}`,
          r.urn,
        );
        continue;
      }
      registrations.push({
        resource: r,
        prefix: parsed.value,
        peeringName,
        metro,
        origin: originAsnOf(text(r.props.registeredPrefixName) ?? ""),
      });
    }

    // Checks of the prefix itself: once per distinct prefix, on its first registration.
    const first = new Map<string, Registration>();
    for (const reg of registrations) if (!first.has(reg.prefix.text)) first.set(reg.prefix.text, reg);
    const distinct = [...first.values()];
    for (const { item, bogon, documentation } of bogonOverlaps(distinct, config.allowDocumentationRanges)) {
      report(
        `${item.prefix.text} is not public address space: it overlaps ${documentation ? "the documentation range" : "the bogon"} ${bogon}${documentation ? " (allowed only where the policy config sets allowDocumentationRanges: lab stacks)" : ""}. ` +
          `Fix: register only the SP's own public prefixes in ${sp} prefixes`,
        item.resource.urn,
      );
    }
    for (const reg of distinct) {
      const max = reg.prefix.afi === "ipv4" ? config.maxLengthV4 : config.maxLengthV6;
      if (reg.prefix.length > max) {
        report(
          `${reg.prefix.text} is longer than /${max}, which Microsoft does not accept for Peering Service. Fix: register the covering /${max} (or shorter) instead`,
          reg.resource.urn,
        );
      }
    }
    for (const [a, b] of findOverlaps(distinct)) {
      if (a.prefix.text === b.prefix.text) continue; // the same prefix twice: the registrations rule's
      report(
        `${b.prefix.text} overlaps ${a.prefix.text}: a prefix is registered once. Fix: register either the covering prefix or the more specific one, not both`,
        b.resource.urn,
      );
    }
    if (!distinct.some((r) => r.prefix.afi === "ipv4" && r.prefix.length <= 24)) {
      report(
        `no IPv4 prefix of /24 or shorter is registered; Peering Service needs at least one. Fix: add the SP's IPv4 /24 (or shorter) to ${sp} prefixes`,
      );
    }

    // Checks of each registration: originated by an ASN registered for the SP.
    const reportedOrigins = new Set<number>();
    for (const reg of distinct) {
      if (reg.origin === undefined) {
        report(
          `metro ${reg.metro}: the registration of ${reg.prefix.text} does not name its origin ASN (registeredPrefixName ends in -as<ASN>). Fix: declare prefixes through the PeeringLocation component, with originAsn in ${sp}`,
          reg.resource.urn,
        );
        continue;
      }
      const registered = spAsns.includes(reg.origin) || registeredAsns.has(reg.origin);
      if (!registered) {
        report(
          `metro ${reg.metro}: ${reg.prefix.text} is originated by AS${reg.origin}, which is neither the SP's ASN (${spAsns.map((a) => `AS${a}`).join(", ") || "no PeerAsn"}) nor a registered ASN. ` +
            `Fix: correct originAsn in ${sp}, or let AS${reg.origin} be registered (it is, with its first prefix, once that prefix's home is active)`,
          reg.resource.urn,
        );
      }
      const problem = asnProblem(reg.origin, config.allowDocumentationRanges);
      if (problem && !reportedOrigins.has(reg.origin)) {
        reportedOrigins.add(reg.origin);
        report(
          `${reg.prefix.text}: origin ${problem}. Fix: set originAsn in ${sp} to the public ASN that originates it`,
          reg.resource.urn,
        );
      }
    }
  },
};
