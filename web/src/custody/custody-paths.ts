/** Where each custody screen lives (web/src/app-routes.tsx). */
export const custodyPath = '/custody';
export const custodyCasePath = (caseId: string) => `/custody/cases/${encodeURIComponent(caseId)}`;
export const handoffPath = (handoffId: string) => `/custody/handoffs/${encodeURIComponent(handoffId)}`;
export const bedsidePath = (caseId: string) => `/custody/bedside/${encodeURIComponent(caseId)}`;
