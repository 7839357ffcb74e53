/** Where the scheduling screens live. */
export const schedulingPath = '/scheduling';
export const bookingsPath = '/scheduling/bookings';
export const capacityPath = '/scheduling/capacity';
export const networkPath = '/scheduling/network';

export function bookingPath(id: string): string {
  return `${bookingsPath}/${encodeURIComponent(id)}`;
}

/** The slot finder, opened for one case. */
export function finderPathForCase(caseId: string): string {
  return `${schedulingPath}?caseId=${encodeURIComponent(caseId)}`;
}

export function capacityPathFor(siteId: string, workType?: string): string {
  const query = new URLSearchParams({ siteId });
  if (workType) query.set('workType', workType);
  return `${capacityPath}?${query.toString()}`;
}
