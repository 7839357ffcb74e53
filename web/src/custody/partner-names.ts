import { useEffect, useState } from 'react';
import { fetchNetworkSummary, type NetworkPartner } from '../network-summary.ts';

/**
 * The organisations of the network by id, for naming the two sides of a hand-off (the hand-off
 * record itself carries only ids). Empty until loaded, and when the directory cannot be read.
 */
export function useNetworkPartners(): Map<string, NetworkPartner> {
  const [partners, setPartners] = useState(new Map<string, NetworkPartner>());
  useEffect(() => {
    const controller = new AbortController();
    fetchNetworkSummary(controller.signal).then(
      (summary) => setPartners(new Map(summary.partners.map((p) => [p.id, p]))),
      () => {},
    );
    return () => controller.abort();
  }, []);
  return partners;
}

export function partnerName(partners: Map<string, NetworkPartner>, id: string): string {
  return partners.get(id)?.name ?? 'another partner';
}
