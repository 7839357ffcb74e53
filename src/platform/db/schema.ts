import type { PartnerTables } from '../../partners/partner-tables.ts';
import type { LedgerTables } from '../audit/ledger-tables.ts';
import type { MigrationTables } from './migration-tables.ts';

/** The typed view of every table, composed from each capability's own declarations. */
export type Schema = MigrationTables & PartnerTables & LedgerTables;
