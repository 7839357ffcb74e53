import { useEffect, useSyncExternalStore } from 'react';
import { fetchSchedulingSites, type SchedulingSite } from './scheduling-api.ts';

export type SiteDirectory =
  | { status: 'loading'; sites: readonly SchedulingSite[] }
  | { status: 'error'; sites: readonly SchedulingSite[] }
  | { status: 'success'; sites: readonly SchedulingSite[] };

/*
 * The network's site directory, loaded once per page load and shared by every scheduling screen:
 * the network changes rarely and site names are nobody's secret. Kept outside React so plain label
 * functions (siteLabel, timeSpan) can read it; components subscribe with useSchedulingSites().
 */
let directory: SiteDirectory = { status: 'loading', sites: [] };
let byId = new Map<string, SchedulingSite>();
let loading: Promise<void> | undefined;
const listeners = new Set<() => void>();

function publish(next: SiteDirectory) {
  directory = next;
  byId = new Map(next.sites.map((site) => [site.id, site]));
  for (const listener of listeners) listener();
}

function load() {
  if (directory.status === 'success' || loading) return;
  loading = fetchSchedulingSites().then(
    (sites) => publish({ status: 'success', sites }),
    // The screens still work without names (role + id); the next screen that mounts tries again.
    () => publish({ status: 'error', sites: [] }),
  );
  void loading.finally(() => {
    loading = undefined;
  });
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A site of the network by id, once the directory has loaded. */
export function siteOf(siteId: string): SchedulingSite | undefined {
  return byId.get(siteId);
}

/** The site directory; re-renders the caller when it arrives (so its siteLabel() calls show names). */
export function useSchedulingSites(): SiteDirectory {
  const current = useSyncExternalStore(subscribe, () => directory);
  useEffect(load, []);
  return current;
}
