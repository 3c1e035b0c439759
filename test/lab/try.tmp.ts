import { Lab } from "/work/wt/lab/test/lab/lab";
import { maxPrefixFlood } from "/work/wt/lab/test/lab/scenarios";
(async () => {
  const lab = await Lab.start({ stack: "lab", log: (l) => console.log(l) });
  try {
    const m = lab.topology.msft[0];
    const t = Date.now();
    console.log(await maxPrefixFlood(lab), Date.now() - t);
    const j = JSON.parse(await lab.vtysh(m.sp.ns, `show bgp neighbors ${m.leg.ipv6.microsoft} json`))[m.leg.ipv6.microsoft];
    delete j.neighborCapabilities; delete j.gracefulRestartInfo; delete j.messageStats;
    console.log(JSON.stringify(j));
    console.log(JSON.stringify(JSON.parse(await lab.vtysh(m.sp.ns, `show bgp ipv6 unicast summary json`)).peers[m.leg.ipv6.microsoft]));
  } finally { await lab.teardown(); console.log(await lab.leftovers()); }
})().catch((e) => { console.error(e); process.exit(1); });
