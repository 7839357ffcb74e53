import { fetchJson } from './api-client.ts';

export interface NetworkPartner {
  id: string;
  name: string;
  type: string;
  country: string;
  siteCount: number;
}

/** Body of `GET /api/network/summary`. */
export interface NetworkSummary {
  partners: NetworkPartner[];
  counts: Record<string, number>;
}

export function fetchNetworkSummary(signal?: AbortSignal): Promise<NetworkSummary> {
  return fetchJson<NetworkSummary>('/api/network/summary', { signal });
}
