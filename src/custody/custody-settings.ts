import { loadConfig } from '../platform/config.ts';

let facility: string | undefined;

/**
 * The installation's ISBT 128 facility (ISBT_FACILITY_ID), read once per process; the demo value
 * when the configuration cannot be read (as in tools that run without one).
 */
export function configuredFacility(): string {
  if (facility === undefined) {
    try {
      facility = loadConfig().isbtFacilityId;
    } catch {
      facility = 'W9999';
    }
  }
  return facility;
}
